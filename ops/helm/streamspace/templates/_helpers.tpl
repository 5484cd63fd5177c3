{{- define "streamspace.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "streamspace.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else if contains (include "streamspace.name" .) .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name (include "streamspace.name" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "streamspace.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "streamspace.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: include "streamspace.selectorLabels" (list . "web") */}}
{{- define "streamspace.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "streamspace.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "streamspace.image" -}}
{{- $root := index . 0 -}}
{{- printf "%s/%s:%s" $root.Values.image.registry (index . 1).image.repository (default $root.Chart.AppVersion $root.Values.image.tag) -}}
{{- end -}}

{{- define "streamspace.webServiceAccount" -}}{{ include "streamspace.fullname" . }}-web{{- end -}}
{{- define "streamspace.workersServiceAccount" -}}{{ include "streamspace.fullname" . }}-workers{{- end -}}

{{/* Workers' rights inside a tenant namespace; bound by Workers in each namespace it creates. */}}
{{- define "streamspace.workersTenantClusterRole" -}}{{ include "streamspace.fullname" . }}-workers-tenant{{- end -}}

{{- define "streamspace.databaseSecret" -}}
{{- if .Values.controller.config.postgres.existingSecret -}}
{{- .Values.controller.config.postgres.existingSecret -}}
{{- else -}}
{{- include "streamspace.fullname" . }}-database
{{- end -}}
{{- end -}}

{{/* Settings both processes share, as environment variables named like the options (Section__Key). */}}
{{- define "streamspace.env" -}}
- name: ConnectionStrings__StreamSpace
  valueFrom:
    secretKeyRef:
      name: {{ include "streamspace.databaseSecret" . }}
      key: {{ .Values.controller.config.postgres.existingSecret | empty | ternary "connection-string" .Values.controller.config.postgres.existingSecretKey }}
- name: Tenancy__BaseDomain
  value: {{ required "ingress.hostname is required" .Values.ingress.hostname | quote }}
- name: Hibernation__Enabled
  value: {{ .Values.controller.config.hibernation.enabled | quote }}
- name: Hibernation__DefaultIdleTimeout
  value: {{ .Values.controller.config.hibernation.defaultIdleTimeout | quote }}
- name: Hibernation__CheckInterval
  value: {{ .Values.controller.config.hibernation.checkInterval | quote }}
- name: Hibernation__WarningBefore
  value: {{ .Values.controller.config.hibernation.warningBefore | quote }}
- name: Runtime__Kind
  value: {{ .Values.runtime.kind | quote }}
- name: Runtime__Kubernetes__GatewayNamespace
  value: {{ .Release.Namespace | quote }}
- name: Runtime__Kubernetes__GatewayServiceAccount
  value: {{ include "streamspace.webServiceAccount" . | quote }}
- name: Runtime__Kubernetes__GatewayClusterRole
  value: {{ .Values.rbac.gatewayClusterRole | quote }}
- name: Runtime__Kubernetes__LeaseNamespace
  value: {{ .Release.Namespace | quote }}
- name: Runtime__Kubernetes__LeaseName
  value: {{ printf "%s-workers" (include "streamspace.fullname" .) | quote }}
- name: Runtime__Kubernetes__HomeAccessMode
  value: {{ .Values.runtime.kubernetes.homeAccessMode | quote }}
- name: Runtime__Kubernetes__ClusterDomain
  value: {{ .Values.runtime.kubernetes.clusterDomain | quote }}
- name: Runtime__Kubernetes__PortalScheme
  value: {{ .Values.ingress.tls.enabled | ternary "https" "http" | quote }}
{{- with .Values.runtime.kubernetes.portalPort }}
- name: Runtime__Kubernetes__PortalPort
  value: {{ . | quote }}
{{- end }}
{{- with .Values.runtime.kubernetes.storageClassName }}
- name: Runtime__Kubernetes__StorageClassName
  value: {{ . | quote }}
{{- end }}
- name: Metrics__Port
  value: {{ .Values.metrics.port | quote }}
{{- if .Values.metrics.capacityMemoryBytes }}
- name: Metrics__CapacityMemoryBytes
  value: {{ .Values.metrics.capacityMemoryBytes | int64 | quote }}
{{- end }}
{{- if .Values.metrics.capacityCpuMillicores }}
- name: Metrics__CapacityCpuMillicores
  value: {{ .Values.metrics.capacityCpuMillicores | int64 | quote }}
{{- end }}
{{- with .Values.controller.config.authentik }}
{{- if .url }}
- name: Oidc__Default__Authority
  value: {{ .url | quote }}
- name: Oidc__Default__ClientId
  value: {{ .clientId | quote }}
- name: Oidc__Default__ClientSecret
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | default (printf "%s-oidc" (include "streamspace.fullname" $)) }}
      key: {{ .existingSecret | empty | ternary "client-secret" .existingSecretKey }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Web behind the ingress: the public URL browsers use, and the proxies whose forwarded headers are believed. */}}
{{- define "streamspace.forwardedHeadersEnv" -}}
- name: ForwardedHeaders__PublicUrl
  value: {{ printf "%s://%s%s/" (.Values.ingress.tls.enabled | ternary "https" "http") .Values.ingress.hostname (.Values.runtime.kubernetes.portalPort | empty | ternary "" (printf ":%v" .Values.runtime.kubernetes.portalPort)) | quote }}
{{- range $index, $proxy := .Values.web.forwardedHeaders.knownProxies }}
- name: ForwardedHeaders__KnownProxies__{{ $index }}
  value: {{ $proxy | quote }}
{{- end }}
{{- range $index, $network := .Values.web.forwardedHeaders.knownNetworks }}
- name: ForwardedHeaders__KnownNetworks__{{ $index }}
  value: {{ $network | quote }}
{{- end }}
{{- end -}}

{{- define "streamspace.podSecurity" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
