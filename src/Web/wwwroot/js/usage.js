// Draws the usage page's stacked bar chart from the JSON the server rendered into the page (no extra request).
(() => {
    const data = document.getElementById('usage-data');
    const canvas = document.getElementById('usage-chart');
    if (!data || !canvas || typeof Chart === 'undefined') {
        return;
    }

    new Chart(canvas, {
        type: 'bar',
        data: JSON.parse(data.textContent),
        options: {
            maintainAspectRatio: false,
            animation: false,
            scales: {
                x: { stacked: true },
                y: { stacked: true, beginAtZero: true, title: { display: true, text: 'session-hours' } },
            },
        },
    });
})();
