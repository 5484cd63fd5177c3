// Command render renders a Helm chart the way `helm template` does, for a machine without Helm: Go's text/template
// (Helm's engine) with sprig and Helm's own functions (include, tpl, required, fail, toYaml, fromYaml, toJson), values
// merged from values.yaml and -f files, .Release, .Chart, .Capabilities and .Files.Get. It does not run hooks, lookup,
// subcharts or schema validation (the tests validate values.schema.json themselves).
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run ./ops/helm/render <chart-dir> [-f values.yaml]... [--namespace ns] [--name release] [--values-json]
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type files map[string][]byte

func (f files) Get(name string) string { return string(f[name]) }

func main() {
	if len(os.Args) < 2 {
		fail("usage: render <chart-dir> [-f values.yaml]... [--namespace ns] [--name release]")
	}
	chartDir := os.Args[1]
	namespace, release := "streamspace", "streamspace"
	var valueFiles []string
	printValues := false
	for i := 2; i < len(os.Args); i++ {
		switch os.Args[i] {
		case "-f":
			i++
			valueFiles = append(valueFiles, os.Args[i])
		case "--namespace":
			i++
			namespace = os.Args[i]
		case "--name":
			i++
			release = os.Args[i]
		case "--values-json":
			printValues = true
		default:
			fail("unknown argument " + os.Args[i])
		}
	}

	chart := readYaml(filepath.Join(chartDir, "Chart.yaml"))
	values := readYaml(filepath.Join(chartDir, "values.yaml"))
	for _, file := range valueFiles {
		values = merge(values, readYaml(file))
	}

	if printValues {
		// The merged values, as Helm validates them against values.schema.json.
		out, _ := json.MarshalIndent(values, "", "  ")
		fmt.Println(string(out))
		return
	}

	chartFiles := files{}
	_ = filepath.Walk(chartDir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(chartDir, path)
			data, _ := os.ReadFile(path)
			chartFiles[filepath.ToSlash(rel)] = data
		}
		return nil
	})

	root := template.New("chart")
	funcs := sprig.TxtFuncMap()
	// Helm's functions; include and tpl need the template set itself.
	funcs["toYaml"] = toYaml
	funcs["fromYaml"] = fromYaml
	funcs["toJson"] = func(v interface{}) string { b, _ := json.Marshal(v); return string(b) }
	funcs["required"] = func(message string, v interface{}) (interface{}, error) {
		if v == nil || v == "" {
			return nil, fmt.Errorf("%s", message)
		}
		return v, nil
	}
	funcs["fail"] = func(message string) (string, error) { return "", fmt.Errorf("%s", message) }
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var out bytes.Buffer
		err := root.ExecuteTemplate(&out, name, data)
		return out.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var out bytes.Buffer
		err = t.Execute(&out, data)
		return out.String(), err
	}
	root.Funcs(funcs).Option("missingkey=zero")

	var names []string
	for name, data := range chartFiles {
		if strings.HasPrefix(name, "templates/") && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".tpl")) {
			if _, err := root.New(name).Parse(string(data)); err != nil {
				fail(err.Error())
			}
			names = append(names, name)
		}
	}
	sort.Strings(names)

	context := map[string]interface{}{
		"Values":       values,
		"Release":      map[string]interface{}{"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
		"Chart":        map[string]interface{}{"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"]},
		"Capabilities": map[string]interface{}{"KubeVersion": map[string]interface{}{"Version": "v1.30.0", "Major": "1", "Minor": "30"}},
		"Files":        chartFiles,
		"Template":     map[string]interface{}{"BasePath": "streamspace/templates"},
	}
	for _, name := range names {
		if strings.HasPrefix(filepath.Base(name), "_") {
			continue
		}
		var out bytes.Buffer
		if err := root.ExecuteTemplate(&out, name, context); err != nil {
			fail(err.Error())
		}
		if strings.TrimSpace(out.String()) == "" {
			continue
		}
		fmt.Printf("---\n# Source: %s/%s\n%s\n", chart["name"], name, strings.TrimSpace(out.String()))
	}
}

func toYaml(v interface{}) string {
	var out bytes.Buffer
	encoder := yaml.NewEncoder(&out)
	encoder.SetIndent(2)
	if err := encoder.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(out.String(), "\n")
}

func fromYaml(text string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func readYaml(path string) map[string]interface{} {
	data, err := os.ReadFile(path)
	if err != nil {
		fail(err.Error())
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		fail(path + ": " + err.Error())
	}
	return m
}

// merge is Helm's coalescing of a values file over the defaults: maps merge key by key, anything else replaces; null deletes.
func merge(base, override map[string]interface{}) map[string]interface{} {
	for key, value := range override {
		if value == nil {
			delete(base, key)
			continue
		}
		if sub, ok := value.(map[string]interface{}); ok {
			if existing, ok := base[key].(map[string]interface{}); ok {
				base[key] = merge(existing, sub)
				continue
			}
		}
		base[key] = value
	}
	return base
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "Error: "+message)
	os.Exit(1)
}
