/* Draws the report's charts with ECharts from the JSON blob in #cnn-data, and records in #cnn-render-status how
   many charts rendered and which errors occurred, so that a headless browser test can assert on the DOM. */
(function () {
  'use strict';
  var status = document.getElementById('cnn-render-status');
  var errors = window.cnnRenderErrors;
  var TRAIN = '#3b6fd6', VALIDATION = '#e8772e', UP = '#17803d', DOWN = '#b42318';
  var SEED_SYMBOLS = ['circle', 'triangle', 'rect', 'diamond', 'roundRect', 'pin', 'arrow'];

  function baseOption(title) {
    return {
      animation: false,
      title: { text: title, left: 'center', top: 6, textStyle: { fontSize: 13, fontWeight: 600 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 20, top: 56, bottom: 44, containLabel: false }
    };
  }

  /**
   * HTML-encodes text for ECharts' tooltips, which are HTML: a formatter's return value is set as innerHTML.
   * Every name that comes from the results (architectures, class names, seeds) goes through this (OWASP output
   * encoding for HTML content: & < > " '). Default tooltips, legends and axis labels need nothing: ECharts encodes
   * the former itself and draws the others on the canvas.
   */
  function esc(text) {
    return String(text === null || text === undefined ? '' : text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function fixed(value, digits) {
    return value === null || value === undefined ? '' : Number(value).toFixed(digits);
  }

  var builders = {
    curves: function (spec) {
      var option = baseOption(spec.title);
      option.legend = { top: 28, textStyle: { fontSize: 11 } };
      option.tooltip = { trigger: 'axis', formatter: function (params) {
        var lines = ['epoch ' + esc(params[0].value[0])];
        params.forEach(function (p) {
          var s = spec.series[p.seriesIndex];
          // p.marker is ECharts' own markup (a coloured dot); everything else is text.
          lines.push(p.marker + esc(s.name) + (s.seed ? ' (seed ' + esc(s.seed) + ')' : '') + ': '
            + esc(Number(p.value[1]).toPrecision(4)));
        });
        return lines.join('<br>');
      } };
      option.xAxis = { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1,
        min: 'dataMin', max: 'dataMax' };
      option.yAxis = { type: spec.logScale ? 'log' : 'value', name: spec.yName, scale: !spec.zeroBased,
        min: spec.yMin === undefined ? null : spec.yMin, max: spec.yMax === undefined ? null : spec.yMax,
        axisLabel: { formatter: spec.logScale ? function (v) { return Number(v).toExponential(0); } : null } };
      option.series = spec.series.map(function (s, i) {
        var points = s.x.map(function (x, j) { return [x, s.y[j]]; });
        var color = s.role === 'validation' ? VALIDATION : TRAIN;
        // Seeds share their role's legend entry, so the legend stays two items however many seeds ran.
        return { name: s.name, type: 'line', data: points, showSymbol: points.length <= 40,
          symbol: SEED_SYMBOLS[(s.seedIndex || 0) % SEED_SYMBOLS.length], symbolSize: 5,
          lineStyle: { width: 2, type: s.role === 'validation' ? 'dashed' : 'solid', color: color,
            opacity: s.seedIndex ? 0.75 : 1 },
          itemStyle: { color: color } };
      });
      return option;
    },

    confusion: function (spec) {
      var option = baseOption(spec.title);
      var data = [], max = 0;
      spec.counts.forEach(function (row, actual) {
        row.forEach(function (count, predicted) {
          data.push([predicted, actual, count]);
          max = Math.max(max, count);
        });
      });
      option.tooltip = { trigger: 'item', formatter: function (p) {
        return 'actual ' + esc(spec.classes[p.value[1]]) + '<br>predicted ' + esc(spec.classes[p.value[0]]) + ': '
          + esc(p.value[2]);
      } };
      option.grid = { left: 90, right: 24, top: 48, bottom: 100 };
      option.xAxis = { type: 'category', data: spec.classes, name: 'predicted', nameLocation: 'middle', nameGap: 72,
        axisLabel: { rotate: 45, interval: 0 }, splitArea: { show: true } };
      option.yAxis = { type: 'category', data: spec.classes, name: 'actual', inverse: true, nameLocation: 'middle',
        nameGap: 76, axisLabel: { interval: 0 }, splitArea: { show: true } };
      option.visualMap = { min: 0, max: Math.max(max, 1), calculable: false, orient: 'horizontal', left: 'center',
        bottom: 2, itemHeight: 140, itemWidth: 10, textStyle: { fontSize: 10 },
        inRange: { color: ['#f7fbff', '#9ecae1', '#2171b5', '#08306b'] } };
      option.series = [{ type: 'heatmap', data: data, label: { show: spec.classes.length <= 12, fontSize: 10 },
        emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }];
      return option;
    },

    perClass: function (spec) {
      var option = baseOption(spec.title);
      option.grid = { left: 56, right: 20, top: 48, bottom: 86 };
      option.xAxis = { type: 'category', data: spec.classes, axisLabel: { rotate: 45, interval: 0 } };
      option.yAxis = { type: 'value', name: 'accuracy', min: 0, max: 1 };
      option.tooltip = { trigger: 'axis', valueFormatter: function (v) { return fixed(v, 4); } };
      option.series = [{ type: 'bar', name: 'test accuracy', data: spec.values, itemStyle: { color: TRAIN },
        label: { show: true, position: 'top', fontSize: 10, formatter: function (p) { return fixed(p.value, 2); } } }];
      return option;
    },

    scatter: function (spec) {
      var option = baseOption(spec.title);
      option.tooltip = { trigger: 'item', formatter: function (p) {
        var d = p.data;
        return esc(d.name) + '<br>MACs ' + esc(d.value[0].toLocaleString('en')) + '<br>test accuracy '
          + esc(fixed(d.value[1], 4)) + (d.std ? ' ± ' + esc(fixed(d.std, 4)) : '') + '<br>parameters '
          + esc((d.params || 0).toLocaleString('en'));
      } };
      option.legend = { top: 28, type: 'scroll' };
      option.grid = { left: 64, right: 40, top: 64, bottom: 52 };
      option.xAxis = { type: spec.points.length > 1 ? 'log' : 'value', name: 'multiply-accumulates per image',
        nameLocation: 'middle', nameGap: 30, scale: true,
        axisLabel: { formatter: function (v) { return (v / 1e6).toPrecision(3) + ' M'; } } };
      option.yAxis = { type: 'value', name: 'test accuracy', scale: true };
      var maxParams = Math.max.apply(null, spec.points.map(function (p) { return p.params || 1; }));
      option.series = spec.points.map(function (p) {
        var errorBar = p.std ? [[p.macs, p.accuracy - p.std], [p.macs, p.accuracy + p.std]] : null;
        var series = [{ name: p.name, type: 'scatter',
          symbolSize: 12 + 28 * Math.sqrt((p.params || 1) / maxParams),
          data: [{ name: p.name, value: [p.macs, p.accuracy], std: p.std, params: p.params }],
          label: { show: true, position: 'right', formatter: '{a}', fontSize: 11 } }];
        if (errorBar) {
          series.push({ name: p.name, type: 'line', data: errorBar, symbol: 'none', silent: true,
            lineStyle: { width: 2 }, tooltip: { show: false } });
        }
        return series;
      }).reduce(function (all, s) { return all.concat(s); }, []);
      return option;
    },

    /* Mean test accuracy per history entry; the band the previous entry allows is a stacked area (lower edge
       transparent, then the band's height); entries outside it are red diamonds. Series 0 is the accuracy line,
       so its tooltip is the one a probe opens first. */
    history: function (spec) {
      var option = baseOption(spec.title);
      option.grid = { left: 64, right: 24, top: 56, bottom: 72 };
      option.legend = { top: 28, data: ['mean test accuracy', 'band of the previous entry'] };
      option.xAxis = { type: 'category', data: spec.labels, axisLabel: { rotate: spec.labels.length > 6 ? 30 : 0 } };
      option.yAxis = { type: 'value', name: 'test accuracy', scale: true };
      option.tooltip = { trigger: 'item', formatter: function (p) {
        var d = spec.points[p.dataIndex];
        if (!d) {
          return '';
        }
        return 'commit ' + esc(d.commit) + (d.branch ? ' (' + esc(d.branch) + ')' : '') + '<br>' + esc(d.date)
          + '<br>test accuracy ' + esc(fixed(d.mean, 4)) + (d.std === null ? '' : ' ± ' + esc(fixed(d.std, 4)))
          + ' over ' + esc(d.seeds) + ' seed' + (d.seeds === 1 ? '' : 's')
          + (d.runId ? '<br>run ' + esc(d.runId) : '') + (d.moved ? '<br>moved outside the band' : '');
      } };
      option.series = [
        { name: 'mean test accuracy', type: 'line', z: 3, symbolSize: 7, lineStyle: { width: 2, color: TRAIN },
          itemStyle: { color: TRAIN },
          data: spec.points.map(function (d) {
            return d.moved ? { value: d.mean, symbol: 'diamond', symbolSize: 13, itemStyle: { color: DOWN } }
              : { value: d.mean, symbol: 'circle' };
          }) },
        { name: 'band of the previous entry', type: 'line', stack: 'band', symbol: 'none', silent: true,
          tooltip: { show: false }, lineStyle: { opacity: 0 },
          data: spec.points.map(function (d) { return d.low === null ? '-' : d.low; }) },
        { name: 'band of the previous entry', type: 'line', stack: 'band', symbol: 'none', silent: true,
          tooltip: { show: false }, lineStyle: { opacity: 0 }, itemStyle: { color: '#9ecae1' },
          areaStyle: { color: 'rgba(59, 111, 214, 0.18)' },
          data: spec.points.map(function (d) { return d.low === null ? '-' : d.high - d.low; }) }
      ];
      return option;
    },

    delta: function (spec) {
      var option = baseOption(spec.title);
      option.grid = { left: 64, right: 24, top: 48, bottom: 80 };
      option.xAxis = { type: 'category', data: spec.items.map(function (i) { return i.name; }),
        axisLabel: { rotate: spec.items.length > 4 ? 30 : 0, interval: 0 } };
      option.yAxis = { type: 'value', name: 'Δ test accuracy' };
      option.tooltip = { trigger: 'axis', valueFormatter: function (v) { return (v >= 0 ? '+' : '') + fixed(v, 4); } };
      option.series = [{ type: 'bar', name: 'change against the baseline',
        data: spec.items.map(function (i) {
          return { value: i.delta, itemStyle: { color: i.delta >= 0 ? UP : DOWN,
            borderColor: i.failed ? '#000' : null, borderWidth: i.failed ? 2 : 0 } };
        }),
        label: { show: true, position: 'top', formatter: function (p) {
          return (p.value >= 0 ? '+' : '') + fixed(p.value, 4);
        } } }];
      return option;
    }
  };

  /** A chart counts as drawn when its canvas exists and has painted pixels, not merely when init succeeded. */
  function painted(div) {
    var canvas = div.querySelector('canvas');
    if (!canvas || canvas.width === 0 || canvas.height === 0) {
      return false;
    }
    var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    var count = 0;
    for (var i = 3; i < pixels.length; i += 64) {
      if (pixels[i] !== 0) {
        count++;
      }
    }
    return count > 20;
  }

  var charts = [];
  var drawn = 0;
  var divs = document.querySelectorAll('div.chart[data-chart]');
  try {
    if (typeof echarts === 'undefined') {
      throw new Error('the embedded ECharts library did not load');
    }
    var data = JSON.parse(document.getElementById('cnn-data').textContent);
    Array.prototype.forEach.call(divs, function (div) {
      try {
        var spec = data.charts[div.getAttribute('data-chart')];
        if (!spec) {
          throw new Error('no data for chart ' + div.getAttribute('data-chart'));
        }
        var chart = echarts.init(div, null, { renderer: 'canvas' });
        chart.setOption(builders[spec.kind](spec));
        charts.push(chart);
        if (painted(div)) {
          drawn++;
          div.setAttribute('data-rendered', 'true');
        } else {
          errors.push('chart ' + div.getAttribute('data-chart') + ' drew nothing');
        }
      } catch (e) {
        errors.push('chart ' + div.getAttribute('data-chart') + ': ' + (e && e.message ? e.message : e));
      }
    });
  } catch (e) {
    errors.push(e && e.message ? e.message : String(e));
  }
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });

  function publish() {
    status.setAttribute('data-state', 'done');
    status.setAttribute('data-charts', String(drawn));
    status.setAttribute('data-expected', String(divs.length));
    status.setAttribute('data-errors', String(errors.length));
    status.textContent = drawn + ' of ' + divs.length + ' charts drawn'
      + (errors.length ? '; errors: ' + errors.join(' | ') : '');
  }
  publish();
  // Errors raised later (in a resize or a tooltip) still reach the marker.
  window.cnnRenderPublish = publish;
})();
