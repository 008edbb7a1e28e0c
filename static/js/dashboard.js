// Draws the staff dashboard's charts from the JSON block the page carries (no inline script:
// the CSP allows scripts from 'self' only). The tables beside the charts hold the same numbers,
// so the page reads the same without JavaScript; a click on a bar or slice opens its list.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var red = "#b4232a";
  var palette = [red, "#e8a33d", "#3d7ea6", "#5b8c5a", "#8e6c8a", "#6c757d", "#d66a6a", "#2f4b7c"];

  function option(data) {
    if (data.kind === "pie") {
      return {
        color: palette,
        tooltip: { trigger: "item" },
        series: [{
          type: "pie",
          radius: ["30%", "55%"],
          // Labels wrap inside the chart rather than run off its edge on a phone.
          label: { overflow: "break", width: 84 },
          data: data.labels.map(function (label, i) { return { name: label, value: data.values[i] }; })
        }]
      };
    }
    var series = [{ type: "bar", data: data.values, itemStyle: { color: red } }];
    if (data.second_label) {
      series.push({ type: "line", name: data.second_label, yAxisIndex: 1, data: data.second, itemStyle: { color: "#3d7ea6" } });
    }
    return {
      tooltip: { trigger: "axis" },
      // containLabel: the grid makes room for the axis labels (全国人大代表, 转为群众意见),
      // rotated or not, instead of clipping them at the chart's edge.
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 40 : 0 } },
      yAxis: data.second_label
        ? [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1 }]
        : { type: "value", minInterval: 1 },
      series: series
    };
  }

  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var data = charts[element.getAttribute("data-chart")];
    if (!data || !data.values.length) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(data));
    chart.on("click", function (params) {
      var url = data.urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    });
    drawn.push(chart);
  });
  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) { chart.resize(); });
  });
})();
