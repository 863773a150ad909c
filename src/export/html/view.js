// dipgraph HTML view: reads the graph from the JSON block, lays it out with a small seeded
// force-directed simulation and draws it as SVG. Written for dipgraph; no library code.
// Every piece of text from the data is inserted with textContent, never as markup, and only
// http(s) URLs become links, so article text cannot inject anything into the page.
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';

  // Colours chosen to stay distinguishable for common colour-vision deficiencies: kinds use
  // distinct hues; cooperation is blue, conflict orange/red, darker for material acts.
  var KIND_COLOURS = {
    state: '#4e79a7', person: '#f28e2b', organization: '#59a14f', group: '#e15759',
    place: '#76b7b2', issue: '#edc948', unknown: '#bab0ac'
  };
  var QUADS = [
    ['verbal_cooperation', 'verbal cooperation (01–05)', '#6baed6'],
    ['material_cooperation', 'material cooperation (06–08)', '#08519c'],
    ['verbal_conflict', 'verbal conflict (09–13)', '#fd8d3c'],
    ['material_conflict', 'material conflict (14–20)', '#b30000']
  ];
  var QUAD_COLOURS = {};
  QUADS.forEach(function (q) { QUAD_COLOURS[q[0]] = q[2]; });

  // Layout budget. Exact pairwise repulsion costs n² per iteration; above EXACT_LIMIT nodes
  // repulsion only acts between nodes in neighbouring grid cells (Fruchterman–Reingold's grid
  // variant) and the iteration count shrinks with n, so work stays roughly linear.
  var EXACT_LIMIT = 400;
  var ITERATIONS = 300;
  var MIN_ITERATIONS = 40;
  // Labels of every node clutter a large graph; above this, only the best connected are labelled
  // (all names still show on hover and in search).
  var LABEL_LIMIT = 150;
  var IDEAL = 60; // ideal edge length in SVG units
  // Weaker repulsion and a firm pull to the centre keep components compact: with full k²
  // repulsion, chains of a news graph stretch to several times the ideal length.
  var REPULSION = 0.3; // scales the k² of the repulsion
  var GRAVITY = 0.2; // pull towards the component's centre, per unit of distance
  var SEED = 0x2545f491;

  var $ = function (id) { return document.getElementById(id); };
  var root = document.documentElement;
  var svg = $('graph');
  var status = $('status');

  function el(name, attrs, parent) {
    var e = document.createElementNS(SVG_NS, name);
    for (var k in attrs) { if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]); }
    if (parent) parent.appendChild(e);
    return e;
  }
  function h(tag, text, cls, parent) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function fail(message) {
    status.textContent = message;
    root.setAttribute('data-dipgraph', 'failed');
  }

  var data;
  try {
    data = JSON.parse($('dipgraph-data').textContent);
  } catch (err) {
    fail('Cannot read the graph data: ' + err.message);
    return;
  }
  if (!data || !Array.isArray(data.nodes) || !Array.isArray(data.edges)) {
    fail('The graph data is missing.');
    return;
  }
  var nodes = data.nodes;
  var edges = data.edges;
  var meta = data.meta || {};
  var n = nodes.length;

  var indexOf = new Map();
  nodes.forEach(function (node, i) { indexOf.set(node.id, i); });

  // Drawn links: each edge goes actor → target (topic, else first participant); a participant
  // that is not the target gets a dashed "role" link from the actor so it is not left floating.
  var drawn = [];
  var roles = [];
  var degree = new Float64Array(n);
  var incident = nodes.map(function () { return []; });
  edges.forEach(function (edge, ei) {
    var a = indexOf.get(edge.source);
    var b = indexOf.get(edge.target);
    if (a === undefined || b === undefined) return;
    drawn.push({ edge: ei, a: a, b: b });
    degree[a] += 1; degree[b] += 1;
    var touched = [a, b];
    (edge.participants || []).forEach(function (pid) {
      var p = indexOf.get(pid);
      if (p === undefined || p === a || p === b) return;
      roles.push({ edge: ei, a: a, b: p });
      degree[a] += 0.5; degree[p] += 0.5;
      touched.push(p);
    });
    touched.forEach(function (t) {
      if (incident[t].indexOf(ei) < 0) incident[t].push(ei);
    });
  });

  // ---- Layout ------------------------------------------------------------------------------

  // xorshift32: a tiny deterministic generator, so the same graph always gets the same picture.
  function rng(seed) {
    var s = seed | 0 || 1;
    return function () {
      s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
      return (s >>> 0) / 4294967296;
    };
  }

  // Connected components (union–find over the springs), numbered in order of their first node.
  function components(count, springs) {
    var parent = new Int32Array(count);
    for (var i = 0; i < count; i++) parent[i] = i;
    function find(i) {
      while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; }
      return i;
    }
    springs.forEach(function (s) {
      var a = find(s.a), b = find(s.b);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    });
    var comp = new Int32Array(count);
    var number = new Map();
    for (i = 0; i < count; i++) {
      var r = find(i);
      if (!number.has(r)) number.set(r, number.size);
      comp[i] = number.get(r);
    }
    return { comp: comp, count: number.size };
  }

  // Force-directed layout: repulsion k²/d between nodes, spring attraction d²/k along links, a
  // weak pull towards the component's centre, and displacement capped by a temperature that
  // cools to zero. Each connected component is laid out on its own (nodes of different
  // components do not repel), and the finished components are packed in rows, largest first:
  // otherwise the many small components of a news graph drift far apart and the picture is
  // mostly empty. Only +, −, ×, ÷ and sqrt are used: they are exactly rounded in every engine,
  // so Chromium and Firefox compute the same positions.
  function Layout(count, springs) {
    this.n = count;
    this.springs = springs;
    this.grid = count > EXACT_LIMIT;
    this.iterations = this.grid
      ? Math.max(MIN_ITERATIONS, Math.round(ITERATIONS * EXACT_LIMIT / count))
      : ITERATIONS;
    this.done = 0;
    this.x = new Float64Array(count);
    this.y = new Float64Array(count);
    this.dx = new Float64Array(count);
    this.dy = new Float64Array(count);
    var cc = components(count, springs);
    this.comp = cc.comp;
    this.comps = cc.count;
    var size = new Float64Array(cc.count);
    for (var i = 0; i < count; i++) size[this.comp[i]] += 1;
    // Each component starts in its own square along the x axis, far enough from the others
    // that the grid's cells hold one component each.
    this.side = new Float64Array(cc.count);
    this.cx = new Float64Array(cc.count);
    var offset = 0;
    for (var c = 0; c < cc.count; c++) {
      this.side[c] = IDEAL * (Math.sqrt(size[c]) + 1);
      this.cx[c] = offset + 2 * this.side[c];
      offset += 4 * this.side[c];
    }
    var random = rng(SEED);
    for (i = 0; i < count; i++) {
      var side = this.side[this.comp[i]];
      this.x[i] = this.cx[this.comp[i]] + (random() - 0.5) * side;
      this.y[i] = (random() - 0.5) * side;
    }
  }

  Layout.prototype.repelPair = function (i, j, k2) {
    if (this.comp[i] !== this.comp[j]) return;
    var ddx = this.x[i] - this.x[j];
    var ddy = this.y[i] - this.y[j];
    var d2 = ddx * ddx + ddy * ddy;
    if (d2 < 1e-4) {
      // Coincident nodes: push them apart along a direction fixed by their indices.
      ddx = 0.01 * (1 + (i % 7)); ddy = 0.01 * (1 + (j % 5)); d2 = ddx * ddx + ddy * ddy;
    }
    var f = k2 / d2; // (k²/d) / d: the force times the unit vector's 1/d
    this.dx[i] += ddx * f; this.dy[i] += ddy * f;
    this.dx[j] -= ddx * f; this.dy[j] -= ddy * f;
  };

  Layout.prototype.step = function () {
    var n = this.n, x = this.x, y = this.y, dx = this.dx, dy = this.dy;
    var k = IDEAL, k2 = k * k * REPULSION;
    var i, j;
    dx.fill(0); dy.fill(0);
    if (!this.grid) {
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) this.repelPair(i, j, k2);
    } else {
      // Grid variant: bucket nodes into cells of 2k and repel only within the 3×3 block, and
      // only closer than 2k. Far nodes are ignored, which is what makes it linear.
      var cell = 2 * k, reach2 = cell * cell;
      var buckets = new Map();
      for (i = 0; i < n; i++) {
        var key = Math.floor(x[i] / cell) + ',' + Math.floor(y[i] / cell);
        var list = buckets.get(key);
        if (list) list.push(i); else buckets.set(key, [i]);
      }
      for (i = 0; i < n; i++) {
        var gx = Math.floor(x[i] / cell), gy = Math.floor(y[i] / cell);
        for (var ox = -1; ox <= 1; ox++) {
          for (var oy = -1; oy <= 1; oy++) {
            var others = buckets.get((gx + ox) + ',' + (gy + oy));
            if (!others) continue;
            for (var m = 0; m < others.length; m++) {
              j = others[m];
              if (j <= i) continue;
              var ex = x[i] - x[j], ey = y[i] - y[j];
              if (ex * ex + ey * ey < reach2) this.repelPair(i, j, k2);
            }
          }
        }
      }
    }
    var springs = this.springs;
    for (var s = 0; s < springs.length; s++) {
      var a = springs[s].a, b = springs[s].b, w = springs[s].w;
      if (a === b) continue;
      var sx = x[a] - x[b], sy = y[a] - y[b];
      var d = Math.sqrt(sx * sx + sy * sy);
      var fa = w * d / k; // (d²/k) / d
      dx[a] -= sx * fa; dy[a] -= sy * fa;
      dx[b] += sx * fa; dy[b] += sy * fa;
    }
    var gravity = GRAVITY;
    var progress = this.done / this.iterations;
    var cool = (1 - progress) * (1 - progress);
    for (i = 0; i < n; i++) {
      var c = this.comp[i];
      dx[i] -= (x[i] - this.cx[c]) * gravity;
      dy[i] -= y[i] * gravity;
      var t = this.side[c] / 4 * cool + 0.5;
      var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
      if (len > 0) {
        var move = len < t ? 1 : t / len;
        x[i] += dx[i] * move;
        y[i] += dy[i] * move;
      }
    }
    this.done += 1;
  };

  // Packs the laid-out components in rows, largest first, into a box about as wide as tall.
  // `extent(i)` gives how far node i reaches right of its centre (its label) and around it.
  Layout.prototype.pack = function (extent) {
    var n = this.n, x = this.x, y = this.y;
    var boxes = [];
    for (var c = 0; c < this.comps; c++) {
      boxes.push({ c: c, minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, size: 0, first: -1 });
    }
    for (var i = 0; i < n; i++) {
      var b = boxes[this.comp[i]], e = extent(i);
      b.minX = Math.min(b.minX, x[i] - e.around); b.maxX = Math.max(b.maxX, x[i] + e.right);
      b.minY = Math.min(b.minY, y[i] - e.around); b.maxY = Math.max(b.maxY, y[i] + e.around);
      b.size += 1;
      if (b.first < 0) b.first = i;
    }
    var gap = IDEAL / 2, area = 0, widest = 0;
    boxes.forEach(function (bx) {
      bx.w = bx.maxX - bx.minX; bx.h = bx.maxY - bx.minY;
      area += (bx.w + gap) * (bx.h + gap);
      widest = Math.max(widest, bx.w);
    });
    boxes.sort(function (p, q) { return q.size - p.size || p.first - q.first; });
    var rowWidth = Math.max(widest, Math.sqrt(area) * 1.1);
    var cursorX = 0, cursorY = 0, rowHeight = 0;
    var shiftX = new Float64Array(this.comps), shiftY = new Float64Array(this.comps);
    boxes.forEach(function (bx) {
      if (cursorX > 0 && cursorX + bx.w > rowWidth) { cursorX = 0; cursorY += rowHeight + gap; rowHeight = 0; }
      shiftX[bx.c] = cursorX - bx.minX;
      shiftY[bx.c] = cursorY - bx.minY;
      cursorX += bx.w + gap;
      rowHeight = Math.max(rowHeight, bx.h);
    });
    for (i = 0; i < n; i++) { x[i] += shiftX[this.comp[i]]; y[i] += shiftY[this.comp[i]]; }
    var right = 0, bottom = 0;
    boxes.forEach(function (bx) {
      right = Math.max(right, bx.maxX + shiftX[bx.c]);
      bottom = Math.max(bottom, bx.maxY + shiftY[bx.c]);
    });
    // The whole drawing, labels included: what "Fit" shows.
    return { x: 0, y: 0, w: right, h: bottom };
  };

  // ---- Drawing -----------------------------------------------------------------------------

  var viewBox = { x: 0, y: 0, w: 1, h: 1 };
  var home = { x: 0, y: 0, w: 1, h: 1 };
  function setView(v) {
    viewBox = { x: v.x, y: v.y, w: v.w, h: v.h };
    svg.setAttribute('viewBox', [v.x, v.y, v.w, v.h].map(function (z) { return z.toFixed(1); }).join(' '));
  }
  function boxOf(indices, pos, pad) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    indices.forEach(function (i) {
      minX = Math.min(minX, pos.x[i]); maxX = Math.max(maxX, pos.x[i]);
      minY = Math.min(minY, pos.y[i]); maxY = Math.max(maxY, pos.y[i]);
    });
    if (!isFinite(minX)) return { x: -100, y: -100, w: 200, h: 200 };
    var w = Math.max(maxX - minX, 160), h = Math.max(maxY - minY, 160);
    var midX = (minX + maxX) / 2, midY = (minY + maxY) / 2;
    return { x: midX - w / 2 - pad, y: midY - h / 2 - pad, w: w + 2 * pad, h: h + 2 * pad };
  }

  function radius(i) { return 5 + Math.min(10, 1.6 * Math.sqrt(degree[i])); }
  function width(count) { return Math.min(8, 1.2 + 1.5 * Math.log2(Math.max(1, count))); }
  function fmt(v) { return v.toFixed(1); }

  var nodeEls = [];
  var edgeEls = [];
  var roleEls = [];
  var pos = null;

  function defs() {
    var d = el('defs', {}, svg);
    QUADS.forEach(function (q) {
      var marker = el('marker', {
        id: 'arrow-' + q[0], viewBox: '0 0 10 10', refX: '9', refY: '5',
        markerWidth: '8', markerHeight: '8', markerUnits: 'userSpaceOnUse', orient: 'auto'
      }, d);
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: q[2] }, marker);
    });
  }

  // How far a node reaches beyond its centre: its circle, and to the right its label (about
  // 6.5 units per character at 11px); used to pack components without overlap.
  function extent(labelled) {
    return function (i) {
      var r = radius(i);
      return { around: r + 6, right: labelled[i] ? r + 6 + 6.5 * nodes[i].name.length : r + 6 };
    };
  }

  function draw(layout) {
    var order = nodes.map(function (_, i) { return i; });
    var labelled = new Uint8Array(n);
    order.slice().sort(function (i, j) { return degree[j] - degree[i] || i - j; })
      .slice(0, LABEL_LIMIT).forEach(function (i) { labelled[i] = 1; });
    var bounds = layout.pack(extent(labelled));
    pos = { x: layout.x, y: layout.y };
    defs();
    var roleLayer = el('g', { id: 'roles' }, svg);
    var edgeLayer = el('g', { id: 'edges' }, svg);
    var nodeLayer = el('g', { id: 'nodes' }, svg);

    // Parallel edges between the same two nodes are bent apart so each can be seen and hovered.
    var pairs = new Map();
    drawn.forEach(function (d) {
      var key = Math.min(d.a, d.b) + ',' + Math.max(d.a, d.b);
      var list = pairs.get(key);
      if (list) list.push(d); else pairs.set(key, [d]);
    });
    pairs.forEach(function (list) {
      list.forEach(function (d, rank) { d.bend = (rank - (list.length - 1) / 2) * 22; });
    });

    roles.forEach(function (r) {
      var edge = edges[r.edge];
      var line = el('line', {
        class: 'role', x1: fmt(pos.x[r.a]), y1: fmt(pos.y[r.a]), x2: fmt(pos.x[r.b]), y2: fmt(pos.y[r.b]),
        stroke: QUAD_COLOURS[edge.quad_class] || '#888'
      }, roleLayer);
      roleEls.push({ el: line, edge: r.edge, a: r.a, b: r.b });
    });

    var edgeG = new Array(edges.length);
    drawn.forEach(function (d) {
      var edge = edges[d.edge];
      var colour = QUAD_COLOURS[edge.quad_class] || '#888';
      var g = el('g', { class: 'edge', 'data-id': edge.id }, edgeLayer);
      var path = edgePath(d);
      var attrs = { class: 'line', d: path, stroke: colour, 'stroke-width': width(edge.count).toFixed(2) };
      // A symmetric act between parties (no topic) has no direction worth an arrow.
      if (!(edge.symmetric && !edge.topic) && d.a !== d.b) attrs['marker-end'] = 'url(#arrow-' + edge.quad_class + ')';
      el('path', attrs, g);
      el('path', { class: 'hit', d: path }, g);
      g.addEventListener('mouseenter', function (ev) { showTip(ev, edgeSummary(d.edge, 3)); hoverEdge(d.edge, true); });
      g.addEventListener('mousemove', moveTip);
      g.addEventListener('mouseleave', function () { hideTip(); hoverEdge(d.edge, false); });
      g.addEventListener('click', function (ev) { ev.stopPropagation(); selectEdge(d.edge); });
      edgeG[d.edge] = g;
      edgeEls.push({ el: g, edge: d.edge, a: d.a, b: d.b });
    });

    order.forEach(function (i) {
      var node = nodes[i];
      var r = radius(i);
      var g = el('g', { class: 'node', 'data-id': node.id, transform: 'translate(' + fmt(pos.x[i]) + ',' + fmt(pos.y[i]) + ')' }, nodeLayer);
      if (!labelled[i]) g.setAttribute('data-nolabel', '');
      el('circle', { r: r.toFixed(1), fill: KIND_COLOURS[node.kind] || KIND_COLOURS.unknown }, g);
      var label = el('text', { x: (r + 3).toFixed(1), y: '4' }, g);
      label.textContent = node.name;
      g.addEventListener('mouseenter', function (ev) { showTip(ev, nodeSummary(i)); });
      g.addEventListener('mousemove', moveTip);
      g.addEventListener('mouseleave', hideTip);
      g.addEventListener('click', function (ev) { ev.stopPropagation(); selectNode(i); });
      nodeEls.push(g);
    });

    var pad = 20;
    home = { x: bounds.x - pad, y: bounds.y - pad, w: Math.max(bounds.w, 200) + 2 * pad, h: Math.max(bounds.h, 200) + 2 * pad };
    setView(home);
  }

  function edgePath(d) {
    var ax = pos.x[d.a], ay = pos.y[d.a], bx = pos.x[d.b], by = pos.y[d.b];
    if (d.a === d.b) {
      var r = radius(d.a), o = 18 + Math.abs(d.bend);
      return 'M' + fmt(ax) + ',' + fmt(ay - r) + ' C' + fmt(ax + o) + ',' + fmt(ay - r - 2 * o) + ' ' +
        fmt(ax + r + 2 * o) + ',' + fmt(ay + o) + ' ' + fmt(ax + r) + ',' + fmt(ay);
    }
    var vx = bx - ax, vy = by - ay;
    var len = Math.sqrt(vx * vx + vy * vy) || 1;
    // Bend sign fixed by the pair's index order, so edges in both directions bend apart too.
    var sign = d.a < d.b ? 1 : -1;
    var cx = (ax + bx) / 2 - (vy / len) * d.bend * 2 * sign;
    var cy = (ay + by) / 2 + (vx / len) * d.bend * 2 * sign;
    // Stop at the target's rim so the arrowhead is visible.
    var tx = bx - cx, ty = by - cy;
    var tl = Math.sqrt(tx * tx + ty * ty) || 1;
    var cut = radius(d.b) + 1;
    var ex = bx - (tx / tl) * cut, ey = by - (ty / tl) * cut;
    return 'M' + fmt(ax) + ',' + fmt(ay) + ' Q' + fmt(cx) + ',' + fmt(cy) + ' ' + fmt(ex) + ',' + fmt(ey);
  }

  // ---- Tooltips and details ----------------------------------------------------------------

  var tip = $('tip');
  var details = $('details-body');

  function name(id) {
    var i = indexOf.get(id);
    return i === undefined ? id : nodes[i].name;
  }
  function rootName(code) {
    var roots = meta.roots || [];
    for (var i = 0; i < roots.length; i++) if (roots[i].root === code) return roots[i].name;
    return '';
  }
  function dates(edge) {
    if (!edge.first_date) return 'undated';
    return edge.first_date === edge.last_date ? edge.first_date : edge.first_date + ' to ' + edge.last_date;
  }
  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
  }

  // An edge's action, parties, dates and up to `limit` sources (all when limit is 0).
  function edgeSummary(ei, limit) {
    var edge = edges[ei];
    var box = document.createElement('div');
    var head = h('div', null, 'title', box);
    head.textContent = name(edge.source) + ' — ' + edge.verb + ' → ' + name(edge.target);
    h('div', 'CAMEO ' + edge.cameo + ' (' + edge.root + ' ' + rootName(edge.root) + '), ' +
      edge.quad_class.replace('_', ' '), 'muted', box);
    if (edge.topic) h('div', 'Topic: ' + name(edge.topic), null, box);
    if (edge.participants && edge.participants.length) {
      h('div', 'With: ' + edge.participants.map(name).join(', '), null, box);
    }
    h('div', edge.count + (edge.count === 1 ? ' report, ' : ' reports, ') + dates(edge), null, box);
    var sources = edge.sources || [];
    var shown = limit ? sources.slice(0, limit) : sources;
    shown.forEach(function (s) {
      var div = h('div', null, 'source', box);
      h('div', '“' + s.sentence + '”', 'sentence', div);
      var where = h('div', null, 'muted', div);
      where.appendChild(document.createTextNode((s.date || 'undated') + ' · ' + s.article + ' #' + s.sentence_index + ' · '));
      var url = safeUrl(s.url);
      if (url && !limit) {
        var a = h('a', url, null, where);
        a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer';
      } else {
        h('span', s.url || '(no URL)', 'url', where);
      }
    });
    if (limit && sources.length > limit) {
      h('div', '… ' + (sources.length - limit) + ' more; click for all', 'muted', box);
    } else if (limit) {
      h('div', 'Click to keep the details and open the links.', 'muted', box);
    }
    return box;
  }

  function nodeSummary(i) {
    var node = nodes[i];
    var box = document.createElement('div');
    h('div', node.name, 'title', box);
    h('div', node.kind + (node.country ? ', ' + node.country : ''), null, box);
    h('div', node.id, 'muted', box);
    h('div', incident[i].length + (incident[i].length === 1 ? ' event' : ' events'), null, box);
    return box;
  }

  function showTip(ev, content) {
    tip.textContent = '';
    tip.appendChild(content);
    tip.hidden = false;
    moveTip(ev);
  }
  function moveTip(ev) {
    var w = tip.offsetWidth, hh = tip.offsetHeight;
    var left = ev.clientX + 14, top = ev.clientY + 14;
    if (left + w > window.innerWidth - 4) left = Math.max(4, ev.clientX - w - 14);
    if (top + hh > window.innerHeight - 4) top = Math.max(4, ev.clientY - hh - 14);
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }
  function hideTip() { tip.hidden = true; }

  function hoverEdge(ei, on) {
    roleEls.forEach(function (r) {
      if (r.edge === ei) r.el.style.strokeOpacity = on ? '1' : '';
    });
  }

  function clearSelection() {
    svg.removeAttribute('data-focus');
    nodeEls.forEach(function (g) { g.removeAttribute('data-selected'); g.removeAttribute('data-near'); });
    edgeEls.forEach(function (e) { e.el.removeAttribute('data-selected'); e.el.removeAttribute('data-near'); });
    roleEls.forEach(function (r) { r.el.removeAttribute('data-near'); });
  }

  function selectEdge(ei) {
    clearSelection();
    edgeEls.forEach(function (e) { if (e.edge === ei) e.el.setAttribute('data-selected', ''); });
    details.textContent = '';
    details.className = '';
    h('h2', 'Event', null, details);
    details.appendChild(edgeSummary(ei, 0));
  }

  // A node's details list its events; its neighbourhood stays bright and the rest fades.
  function selectNode(i) {
    clearSelection();
    svg.setAttribute('data-focus', '');
    nodeEls[i].setAttribute('data-selected', '');
    nodeEls[i].setAttribute('data-near', '');
    var mine = new Set(incident[i]);
    edgeEls.forEach(function (e) {
      if (!mine.has(e.edge)) return;
      e.el.setAttribute('data-near', '');
      nodeEls[e.a].setAttribute('data-near', '');
      nodeEls[e.b].setAttribute('data-near', '');
    });
    roleEls.forEach(function (r) {
      if (!mine.has(r.edge)) return;
      r.el.setAttribute('data-near', '');
      nodeEls[r.a].setAttribute('data-near', '');
      nodeEls[r.b].setAttribute('data-near', '');
    });
    details.textContent = '';
    details.className = '';
    h('h2', 'Entity', null, details);
    details.appendChild(nodeSummary(i));
    h('h2', 'Events', null, details);
    var list = h('ul', null, null, details);
    incident[i].forEach(function (ei) {
      var edge = edges[ei];
      var li = h('li', null, null, list);
      var b = h('button', name(edge.source) + ' ' + edge.verb + ' ' + name(edge.target) + ' (' + dates(edge) + ')', null, li);
      b.type = 'button';
      b.addEventListener('click', function () { selectEdge(ei); });
    });
  }

  // ---- Filters and search ------------------------------------------------------------------

  var fromInput = $('date-from');
  var toInput = $('date-to');
  var undatedBox = $('undated');
  var rootsBox = $('roots');
  var searchInput = $('search');

  function setupControls() {
    if (meta.first_date) { fromInput.min = toInput.min = meta.first_date; fromInput.value = meta.first_date; }
    if (meta.last_date) { fromInput.max = toInput.max = meta.last_date; toInput.value = meta.last_date; }
    (meta.roots || []).forEach(function (r) {
      var label = h('label', null, null, rootsBox);
      var box = h('input', null, null, label);
      box.type = 'checkbox'; box.checked = true; box.value = r.root;
      var swatch = h('span', null, 'swatch-line', null);
      swatch.style.borderTopColor = QUAD_COLOURS[r.quad_class] || '#888';
      swatch.style.display = 'inline-block'; swatch.style.width = '12px'; swatch.style.verticalAlign = 'middle';
      label.appendChild(document.createTextNode(' '));
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(' ' + r.root + ' ' + r.name + ' (' + r.events + ')'));
      label.title = r.root + ' ' + r.name;
    });
    var kinds = $('legend-kinds');
    (meta.kinds || []).forEach(function (k) {
      var row = h('div', null, 'legend-row', kinds);
      var dot = h('span', null, 'swatch-dot', row);
      dot.style.background = KIND_COLOURS[k] || KIND_COLOURS.unknown;
      h('span', k, null, row);
    });
    var quads = $('legend-quads');
    QUADS.forEach(function (q) {
      var row = h('div', null, 'legend-row', quads);
      var line = h('span', null, 'swatch-line', row);
      line.style.borderTopColor = q[2];
      h('span', q[1], null, row);
    });
    [fromInput, toInput, undatedBox].forEach(function (c) { c.addEventListener('change', applyFilters); });
    rootsBox.addEventListener('change', applyFilters);
    $('roots-all').addEventListener('click', function () { setRoots(true); });
    $('roots-none').addEventListener('click', function () { setRoots(false); });
    searchInput.addEventListener('input', search);
    searchInput.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') focusMatches(); });
    $('focus').addEventListener('click', focusMatches);
  }
  function setRoots(on) {
    rootsBox.querySelectorAll('input').forEach(function (b) { b.checked = on; });
    applyFilters();
  }

  var edgeOn = new Uint8Array(edges.length);
  var nodeOn = new Uint8Array(n);

  // An edge is shown when its root is ticked and one of its reports is dated in the range
  // (or it has no dated report and undated events are wanted); a node when one of its shown
  // edges touches it. Nodes without any edge are always shown.
  function applyFilters() {
    var from = fromInput.value, to = toInput.value;
    if (from && to && from > to) { var swap = from; from = to; to = swap; }
    var undated = undatedBox.checked;
    var roots = new Set();
    rootsBox.querySelectorAll('input').forEach(function (b) { if (b.checked) roots.add(b.value); });
    edges.forEach(function (edge, ei) {
      var ok = roots.has(edge.root);
      if (ok) {
        var dated = false, inside = false;
        (edge.sources || []).forEach(function (s) {
          if (!s.date) return;
          dated = true;
          if ((!from || s.date >= from) && (!to || s.date <= to)) inside = true;
        });
        ok = dated ? inside : undated;
      }
      edgeOn[ei] = ok ? 1 : 0;
    });
    nodeOn.fill(0);
    incident.forEach(function (list, i) {
      if (!list.length) nodeOn[i] = 1;
      for (var m = 0; m < list.length; m++) if (edgeOn[list[m]]) { nodeOn[i] = 1; break; }
    });
    var shownNodes = 0, shownEdges = 0;
    nodeEls.forEach(function (g, i) { g.toggleAttribute('data-off', !nodeOn[i]); shownNodes += nodeOn[i]; });
    edgeEls.forEach(function (e) { e.el.toggleAttribute('data-off', !edgeOn[e.edge]); });
    roleEls.forEach(function (r) { r.el.toggleAttribute('data-off', !edgeOn[r.edge]); });
    for (var ei = 0; ei < edges.length; ei++) shownEdges += edgeOn[ei];
    $('counts').textContent = 'Showing ' + shownNodes + ' of ' + n + ' nodes and ' +
      shownEdges + ' of ' + edges.length + ' events.';
  }

  // Case- and accent-insensitive: decompose, drop combining marks, and fold the few Latin
  // letters that do not decompose (ø, ß, ł …).
  var FOLD = { 'ø': 'o', 'æ': 'ae', 'œ': 'oe', 'ß': 'ss', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th', 'ı': 'i' };
  function fold(text) {
    return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[øæœßłđðþı]/g, function (c) { return FOLD[c]; });
  }
  var folded = nodes.map(function (node) { return fold(node.name) + '\u0000' + fold(node.id); });
  var matches = [];

  function search() {
    var q = fold(searchInput.value.trim());
    matches = [];
    if (!q) {
      svg.removeAttribute('data-searching');
      nodeEls.forEach(function (g) { g.removeAttribute('data-match'); });
      $('matches').textContent = '';
      return;
    }
    svg.setAttribute('data-searching', '');
    nodeEls.forEach(function (g, i) {
      var hit = folded[i].indexOf(q) >= 0;
      g.toggleAttribute('data-match', hit);
      if (hit) matches.push(i);
    });
    $('matches').textContent = matches.length === 0 ? 'No node matches.' :
      matches.length + (matches.length === 1 ? ' match: ' : ' matches: ') +
      matches.slice(0, 5).map(function (i) { return nodes[i].name; }).join(', ') +
      (matches.length > 5 ? ' …' : '') + ' (Enter to zoom)';
  }

  function focusMatches() {
    if (!pos || !matches.length) return;
    setView(boxOf(matches, pos, 60));
    if (matches.length === 1) selectNode(matches[0]);
  }

  // ---- Pan and zoom ------------------------------------------------------------------------

  // Screen to drawing coordinates: the inverse of the SVG's screen transform, written out so it
  // does not depend on which matrix types a browser accepts.
  function toWorld(ev) {
    var m = svg.getScreenCTM();
    var det = m ? m.a * m.d - m.b * m.c : 0;
    if (!det) return { x: viewBox.x + viewBox.w / 2, y: viewBox.y + viewBox.h / 2 };
    var x = ev.clientX - m.e, y = ev.clientY - m.f;
    return { x: (m.d * x - m.c * y) / det, y: (m.a * y - m.b * x) / det };
  }
  function zoomAt(point, factor) {
    var w = viewBox.w * factor, hh = viewBox.h * factor;
    setView({ x: point.x - (point.x - viewBox.x) * factor, y: point.y - (point.y - viewBox.y) * factor, w: w, h: hh });
  }
  function setupPanZoom() {
    var grab = null;
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      zoomAt(toWorld(ev), ev.deltaY > 0 ? 1.15 : 1 / 1.15);
    }, { passive: false });
    svg.addEventListener('pointerdown', function (ev) {
      if (ev.target !== svg) return;
      grab = toWorld(ev);
      svg.classList.add('panning');
      // Capture keeps the pan going when the pointer leaves the SVG; panning works without it.
      try { svg.setPointerCapture(ev.pointerId); } catch (err) { /* not an active pointer */ }
    });
    svg.addEventListener('pointermove', function (ev) {
      if (!grab) return;
      var p = toWorld(ev);
      setView({ x: viewBox.x + grab.x - p.x, y: viewBox.y + grab.y - p.y, w: viewBox.w, h: viewBox.h });
    });
    var release = function () { grab = null; svg.classList.remove('panning'); };
    svg.addEventListener('pointerup', release);
    svg.addEventListener('pointercancel', release);
    svg.addEventListener('click', function (ev) { if (ev.target === svg) clearSelection(); });
    var centre = function () { return { x: viewBox.x + viewBox.w / 2, y: viewBox.y + viewBox.h / 2 }; };
    $('zoom-in').addEventListener('click', function () { zoomAt(centre(), 1 / 1.4); });
    $('zoom-out').addEventListener('click', function () { zoomAt(centre(), 1.4); });
    $('zoom-fit').addEventListener('click', function () { setView(home); });
  }

  // ---- Start -------------------------------------------------------------------------------

  setupControls();
  setupPanZoom();
  var springs = drawn.map(function (d) { return { a: d.a, b: d.b, w: 1 }; })
    .concat(roles.map(function (r) { return { a: r.a, b: r.b, w: 0.5 }; }));
  var layout = new Layout(n, springs);

  function finish() {
    draw(layout);
    applyFilters();
    status.textContent = n === 0 ? 'The graph is empty.' : '';
    // Read by the CI check: the layout has finished and the graph is in the DOM.
    root.setAttribute('data-dipgraph', 'drawn');
    root.setAttribute('data-nodes', String(nodeEls.length));
    root.setAttribute('data-edges', String(edgeEls.length));
    // Where the drawing is on the page, so a screenshot check can look at that area only.
    var rect = svg.getBoundingClientRect();
    root.setAttribute('data-stage', [rect.left, rect.top, rect.width, rect.height].map(Math.round).join(','));
  }

  // The layout runs in slices of ~40 ms so a large graph does not freeze the page; the number
  // of iterations is fixed, so slicing does not change the result.
  function run() {
    var until = performance.now() + 40;
    while (layout.done < layout.iterations && performance.now() < until) layout.step();
    if (layout.done < layout.iterations && n > 0) {
      status.textContent = 'Laying out ' + n + ' nodes: ' + Math.round(100 * layout.done / layout.iterations) + '%';
      setTimeout(run, 0);
    } else {
      finish();
    }
  }
  status.textContent = 'Laying out ' + n + ' nodes…';
  setTimeout(run, 0);
})();
