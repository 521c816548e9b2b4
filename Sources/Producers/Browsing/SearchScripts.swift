/// The page script that reads search results: mechanism only; every selector, pattern and
/// limit comes from the `SearchProfile` as its argument.
enum SearchScripts {
    /// Returns `[{title, link, price, shipping, wear, sold, thumbnail, snippet, partial}]` (texts,
    /// empty when the field is not shown; `partial` true after a looser-match boundary the
    /// profile's `partial_after` names) for the profile's items, in page order.
    ///
    /// A field spec is a selector, or `{selector, match, pick, attr, drop, scope, slug}`: the
    /// first (`pick: "last"`: the last; `"all"`: all, one a line) element under the item
    /// (`scope: "next"`: under the item's next sibling; `"self"`: the item itself) whose text
    /// (or attribute `attr`) matches the regular expression `match`, read without the elements
    /// `drop` names (screen-reader texts, badges); `slug` turns a URL's last path segment into
    /// words. The link's spec reads `href` unless it names another attribute.
    static let extract = """
        var p = arguments[0];
        function norm(s) { return String(s || '').replace(/\\s+/g, ' ').trim(); }
        function textOf(e, drop) {
          if (!e) return '';
          if (drop && drop.length) {
            var copy = e.cloneNode(true);
            for (var d = 0; d < drop.length; d++) {
              var gone = [];
              try { gone = copy.querySelectorAll(drop[d]); } catch (x) {}
              for (var g = 0; g < gone.length; g++) gone[g].remove();
            }
            return norm(copy.textContent);
          }
          return norm(e.innerText || e.textContent);
        }
        function find(item, spec, defaultAttr) {
          if (!spec) return null;
          if (typeof spec === 'string') spec = { selector: spec };
          var root = item;
          if (spec.scope === 'next') root = item.nextElementSibling;
          if (!root) return null;
          var nodes = [];
          if (spec.scope === 'self') nodes = [root];
          else { try { nodes = root.querySelectorAll(spec.selector); } catch (x) {} }
          var re = null;
          if (spec.match) { try { re = new RegExp(spec.match, 'i'); } catch (x) {} }
          var attr = spec.attr || defaultAttr;
          var found = null;
          for (var i = 0; i < nodes.length; i++) {
            var value = attr ? (nodes[i].getAttribute(attr) || '') : textOf(nodes[i], spec.drop);
            if (value && spec.slug) value = slugWords(value);
            if (!value || (re && !re.test(value))) continue;
            if (spec.pick === 'all' && found) { found.value += '\\n' + value; continue; }
            found = { node: nodes[i], value: value };
            if (spec.pick !== 'last' && spec.pick !== 'all') break;
          }
          return found;
        }
        function slugWords(href) {
          var path = href.split('?')[0].split('#')[0].replace(/\\/+$/, '');
          var last = path.slice(path.lastIndexOf('/') + 1);
          try { last = decodeURIComponent(last); } catch (x) {}
          return norm(last.replace(/[-_]+/g, ' '));
        }
        function value(item, spec) { var f = find(item, spec); return f ? f.value : ''; }
        // `a1` then the link in base64url (a search engine's click-through redirect).
        function decodeA1Base64(v) {
          if (v.indexOf('a1') !== 0) return '';
          var b = v.slice(2).replace(/-/g, '+').replace(/_/g, '/');
          while (b.length % 4) b += '=';
          try { return decodeURIComponent(escape(atob(b))); } catch (x) { return ''; }
        }
        function unwrap(href) {
          var u;
          try { u = new URL(href, location.href); } catch (x) { return href; }
          for (var i = 0; i < p.unwrap.length; i++) {
            var rule = p.unwrap[i];
            var host = u.hostname.toLowerCase();
            if (host !== rule.host && host.slice(-(rule.host.length + 1)) !== '.' + rule.host) continue;
            if (rule.path && u.pathname.indexOf(rule.path) !== 0) continue;
            var v = u.searchParams.get(rule.param) || '';
            if (rule.decode === 'a1-base64url') v = decodeA1Base64(v);
            if (/^https?:\\/\\//.test(v)) return v;
          }
          return u.href;
        }
        var items = [];
        try { items = document.querySelectorAll(p.item); } catch (x) {}
        // A looser-match boundary ("Results matching fewer words"): an element of
        // `partial_after` that follows the first item, or whose text says so wherever it is; every
        // item after one is a partial match.
        var bounds = [];
        if (p.partial_after && items.length) {
          var marks = [];
          try { marks = document.querySelectorAll(p.partial_after.selector); } catch (x) {}
          var said = null;
          if (p.partial_after.match) { try { said = new RegExp(p.partial_after.match, 'i'); } catch (x) {} }
          for (var m = 0; m < marks.length; m++) {
            var follows = items[0].compareDocumentPosition(marks[m]) & Node.DOCUMENT_POSITION_FOLLOWING;
            if (follows || (said && said.test(norm(marks[m].textContent)))) bounds.push(marks[m]);
          }
        }
        function partial(item) {
          for (var b = 0; b < bounds.length; b++) {
            if (bounds[b].compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING) return true;
          }
          return false;
        }
        var out = [];
        for (var i = 0; i < items.length && out.length < p.max; i++) {
          var item = items[i];
          var a = find(item, p.link, 'href');
          if (!a) continue;
          var title = p.title ? value(item, p.title) : textOf(a.node);
          if (!title || p.skip.indexOf(title) >= 0) continue;
          var img = find(item, p.thumbnail, 'src') || find(item, p.thumbnail, 'data-src');
          var thumb = img ? img.value : '';
          out.push({ title: title, link: unwrap(a.value), price: value(item, p.price), shipping: value(item, p.shipping),
                     wear: value(item, p.wear), sold: value(item, p.sold), snippet: value(item, p.snippet),
                     thumbnail: thumb, partial: partial(item) });
        }
        return out;
        """

    /// The fallback reader, for a page whose item selector finds nothing (a layout change): the
    /// results are read around the links of the profile's item-link pattern (`itemLink`, on the
    /// link's path). Each item's card is the largest element around its link that holds no
    /// other item's link; only the cards of the repeated list are kept (those whose parent looks
    /// like the parent most cards share: carousels and "more like this" strips are left out); its title is the card's heading (else its longest link text, else its
    /// image's alt text), its price the first text in it that is only a price, its thumbnail its
    /// first image, and shipping and sold marks the first short texts matching those fields'
    /// `match` patterns. Same output shape as `extract`.
    static let fallback = """
        var p = arguments[0];
        function norm(s) { return String(s || '').replace(/\\s+/g, ' ').trim(); }
        var link;
        try { link = new RegExp(p.itemLink); } catch (x) { return []; }
        var money = '(?:US ?\\\\$|AU ?\\\\$|C ?\\\\$|[$€£¥￥]|EUR|USD|GBP|JPY|CHF|PLN|CAD|AUD)\\\\s?\\\\d(?:[\\\\d.,\\\\s]*\\\\d)?|\\\\d[\\\\d.,\\\\s]*\\\\s?(?:€|EUR|zł|PLN|円|CHF|kr)';
        function onlyPrice(t) {
          if (!t || t.length > 48 || !new RegExp(money).test(t)) return false;
          return t.replace(new RegExp(money, 'g'), '').replace(/\\b(to|bis|à|a|à partir de)\\b|[-–~\\s]/g, '') === '';
        }
        function pathOf(a) { try { return a.pathname || ''; } catch (x) { return ''; } }
        function itemPaths(e) {
          var found = {}, n = 0, anchors = e.querySelectorAll('a[href]');
          for (var i = 0; i < anchors.length && n < 2; i++) {
            var path = pathOf(anchors[i]);
            if (link.test(path) && !found[path]) { found[path] = true; n++; }
          }
          return n;
        }
        function fieldPattern(spec) {
          if (!spec || typeof spec === 'string' || !spec.match) return null;
          try { return new RegExp(spec.match, 'i'); } catch (x) { return null; }
        }
        function leafText(card, re) {
          if (!re) return '';
          var all = card.querySelectorAll('*');
          for (var i = 0; i < all.length; i++) {
            if (all[i].children.length) continue;
            var t = norm(all[i].textContent);
            if (t && t.length <= 80 && re.test(t)) return t;
          }
          return '';
        }
        function shape(e) { return e ? e.tagName + '.' + String(e.getAttribute('class') || '') : ''; }
        var anchors = document.querySelectorAll('a[href]');
        var seen = {}, cards = [], shapes = {}, common = '', out = [];
        for (var i = 0; i < anchors.length; i++) {
          var a = anchors[i], path = pathOf(a);
          if (!link.test(path) || seen[path]) continue;
          seen[path] = true;
          var card = a;
          while (card.parentElement && card.parentElement !== document.body && itemPaths(card.parentElement) <= 1) card = card.parentElement;
          var s = shape(card.parentElement);
          shapes[s] = (shapes[s] || 0) + 1;
          if (!common || shapes[s] > shapes[common]) common = s;
          cards.push({ a: a, path: path, card: card, shape: s });
        }
        var shipping = fieldPattern(p.shipping), sold = fieldPattern(p.sold);
        for (var c = 0; c < cards.length && out.length < p.max; c++) {
          if (cards[c].shape !== common) continue;
          var a = cards[c].a, path = cards[c].path, card = cards[c].card;
          var title = '';
          var heading = card.querySelector('[role=heading], h1, h2, h3, h4');
          if (heading) title = norm(heading.textContent);
          if (!title || onlyPrice(title)) {
            title = '';
            var same = card.querySelectorAll('a[href]');
            for (var j = 0; j < same.length; j++) {
              var t = norm(same[j].textContent);
              if (pathOf(same[j]) === path && t.length > title.length && !onlyPrice(t)) title = t;
            }
          }
          var img = card.querySelector('img');
          if (!title && img) title = norm(img.getAttribute('alt'));
          if (!title || p.skip.indexOf(title) >= 0) continue;
          var price = '';
          var all = card.querySelectorAll('*');
          for (var k = 0; k < all.length && !price; k++) {
            var text = norm(all[k].textContent);
            if (onlyPrice(text)) price = text;
          }
          var thumb = img ? (img.getAttribute('src') || img.getAttribute('data-src') || '') : '';
          out.push({ title: title, link: a.href, price: price, shipping: leafText(card, shipping), wear: '',
                     sold: leafText(card, sold), snippet: '', thumbnail: thumb });
        }
        return out;
        """
}
