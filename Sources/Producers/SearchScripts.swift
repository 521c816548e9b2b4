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
        function decodeBing(v) {
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
            if (rule.decode === 'bing-base64') v = decodeBing(v);
            if (/^https?:\\/\\//.test(v)) return v;
          }
          return u.href;
        }
        var items = [];
        try { items = document.querySelectorAll(p.item); } catch (x) {}
        // A looser-match boundary (eBay's "Results matching fewer words"): an element of
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
}
