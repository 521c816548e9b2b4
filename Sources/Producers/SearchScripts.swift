/// The page script that reads search results: mechanism only; every selector and limit
/// comes from the `SearchProfile` as its argument.
enum SearchScripts {
    /// Returns `[{title, link, price, wear, thumbnail, snippet}]` for the profile's items.
    static let extract = """
        var p = arguments[0];
        function pick(root, selector) {
          if (!selector) return null;
          try { return root.querySelector(selector); } catch (e) { return null; }
        }
        function text(e) { return e ? String(e.innerText || e.textContent || '').replace(/\\s+/g, ' ').trim() : ''; }
        function unwrap(href) {
          try {
            var u = new URL(href, location.href);
            for (var i = 0; i < p.unwrap.length; i++) {
              var v = u.searchParams.get(p.unwrap[i]);
              if (v && /^https?:\\/\\//.test(v)) return v;
            }
            return u.href;
          } catch (e) { return href; }
        }
        var items = [];
        try { items = document.querySelectorAll(p.item); } catch (e) {}
        var out = [];
        for (var i = 0; i < items.length && out.length < p.max; i++) {
          var item = items[i];
          var a = pick(item, p.link);
          if (!a || !a.getAttribute('href')) continue;
          var title = text(pick(item, p.title) || a);
          if (!title || p.skip.indexOf(title) >= 0) continue;
          var img = pick(item, p.thumbnail);
          out.push({ title: title, link: unwrap(a.getAttribute('href')), price: text(pick(item, p.price)),
                     wear: text(pick(item, p.wear)), snippet: text(pick(item, p.snippet)),
                     thumbnail: img ? (img.getAttribute('src') || img.getAttribute('data-src') || '') : '' });
        }
        return out;
        """

    /// Where the page is and what it shows: a bot check, the result items, an empty result.
    static let probe = """
        var p = arguments[0];
        var href = String(location.href);
        var body = '';
        try { body = (document.body && document.body.innerText) || ''; } catch (e) {}
        function any(list) {
          for (var i = 0; i < list.length; i++) { try { if (document.querySelector(list[i])) return true; } catch (e) {} }
          return false;
        }
        function has(list, s) { for (var i = 0; i < list.length; i++) if (s.indexOf(list[i]) >= 0) return true; return false; }
        var items = 0;
        try { items = document.querySelectorAll(p.item).length; } catch (e) {}
        return { url: href, ready: document.readyState === 'complete' || document.readyState === 'interactive',
          blocked: has(p.blockedURL, href) || any(p.blockedSelectors) || has(p.blockedText, body),
          items: items, empty: any(p.emptySelectors) || has(p.emptyText, body) };
        """
}
