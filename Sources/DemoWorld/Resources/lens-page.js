// The replica's page script. On the start page: the upload panel, and choosing a catalog
// product by an 8×8 average hash of the photo (computed here, in a canvas, for the upload and
// for every catalog sample alike). On the results page: cards that arrive one by one, each
// thumbnail filled in afterwards by an inline script, as on the real page.
(function () {
  var page = window.LENS_PAGE || {};

  function averageHash(bitmap) {
    var canvas = document.createElement('canvas');
    canvas.width = 8;
    canvas.height = 8;
    var g = canvas.getContext('2d', { willReadFrequently: true });
    g.imageSmoothingEnabled = true;
    g.imageSmoothingQuality = 'high';
    g.drawImage(bitmap, 0, 0, 8, 8);
    var d = g.getImageData(0, 0, 8, 8).data;
    var lum = [];
    var sum = 0;
    for (var i = 0; i < 64; i++) {
      var v = 0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2];
      lum.push(v);
      sum += v;
    }
    var mean = sum / 64;
    return lum.map(function (v) { return v >= mean ? '1' : '0'; }).join('');
  }

  function distance(a, b) {
    var n = 0;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
    return n;
  }

  function hashOfBlob(blob) {
    return createImageBitmap(blob).then(averageHash);
  }

  // The catalog's hashes are the replica's index: like the real service's, it is there before
  // any upload (computed once, as the start page comes up), and an upload costs only its own hash.
  var catalog = null;
  function catalogHashes() {
    if (!catalog) {
      catalog = Promise.all((page.catalog || []).map(function (entry) {
        return fetch(entry.url).then(function (r) { return r.blob(); }).then(hashOfBlob)
          .then(function (hash) { return { id: entry.id, hash: hash }; });
      }));
    }
    return catalog;
  }

  function randomId(n) {
    var s = '';
    var chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    for (var i = 0; i < n; i++) s += chars[Math.floor(Math.random() * chars.length)];
    return s;
  }

  function search(file) {
    var slot = document.getElementById('lens-slot');
    if (slot) slot.setAttribute('data-state', 'searching');
    Promise.all([hashOfBlob(file), catalogHashes()]).then(function (all) {
      var hash = all[0];
      var best = null;
      all[1].forEach(function (entry) {
        var d = distance(hash, entry.hash);
        if (d <= page.threshold && (!best || d < best.d)) best = { id: entry.id, d: d };
      });
      var query = 'vsrid=' + randomId(24) + '&udm=44&lns_surface=44&lns_mode=un&source=lns.web.gsbubu'
        + '&lnsp=' + encodeURIComponent(best ? best.id : 'none') + '&vsint=' + hash;
      window.location.href = page.prefix + '/search?' + query;
    }).catch(function (e) {
      if (slot) slot.textContent = "Can't use this file: " + e;
    });
  }

  function openPanel() {
    var slot = document.getElementById('lens-slot');
    if (!slot || document.querySelector('input[type="file"]')) return;
    slot.innerHTML = '<div class="M8H8pb" jsname="tWT92d"><div>Drag an image here or '
      + '<span class="DV7the" role="button" tabindex="0">upload a file</span></div>'
      + '<input type="file" name="encoded_image" accept="image/*" style="display:none"></div>';
    var input = slot.querySelector('input[type="file"]');
    slot.querySelector('.DV7the').addEventListener('click', function () { input.click(); });
    input.addEventListener('change', function () {
      if (input.files && input.files[0]) search(input.files[0]);
    });
  }

  function startPage() {
    catalogHashes();
    var camera = document.querySelector('[aria-label="Search by image"]');
    if (camera) camera.addEventListener('click', openPanel);
    if (/[?&]olud/.test(window.location.search)) openPanel();
  }

  function resultsPage() {
    var template = document.getElementById('lens-cards');
    var results = document.getElementById('rso');
    if (!template || !results) return;
    var cards = Array.prototype.slice.call(template.content.children);
    cards.forEach(function (card, i) {
      setTimeout(function () {
        results.appendChild(document.importNode(card, true));
        var img = card.querySelector('img[id]');
        var src = img && page.thumbs ? page.thumbs[img.id] : null;
        if (src) {
          // A separate inline script fills the thumbnail in a moment later, like Google's.
          setTimeout(function () {
            var s = document.createElement('script');
            s.text = '_setImagesSrc(["' + img.id + '"], "' + src + '");';
            document.body.appendChild(s);
          }, page.thumbDelay || 40);
        }
      }, (i + 1) * (page.interval || 140));
    });
  }

  if (page.kind === 'start') startPage();
  if (page.kind === 'results') resultsPage();
})();
