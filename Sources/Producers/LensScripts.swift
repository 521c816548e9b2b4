/// Page scripts that are mechanism, not site knowledge: they take everything site-specific
/// (selectors, texts) as arguments from the profile.
enum LensScripts {
    /// Where the page is and what it shows: bot check, consent wall, upload control, result cards.
    static let probe = """
        var p = arguments[0];
        var href = String(location.href);
        var text = '';
        try { text = (document.body && document.body.innerText) || ''; } catch (e) {}
        function any(list) {
          for (var i = 0; i < list.length; i++) { try { if (document.querySelector(list[i])) return true; } catch (e) {} }
          return false;
        }
        function has(list, s) { for (var i = 0; i < list.length; i++) if (s.indexOf(list[i]) >= 0) return true; return false; }
        var cards = 0;
        try { cards = document.querySelectorAll(p.cards).length; } catch (e) {}
        return { url: href,
          blocked: has(p.blockedURL, href) || any(p.blockedSelectors) || has(p.blockedText, text),
          consent: has(p.consentURL, href) || any(p.consentSelectors),
          input: any([p.input]), results: has(p.resultsURL, href), cards: cards,
          empty: any(p.emptySelectors) || has(p.emptyText, text) };
        """

    /// Clicks the first element found for a list of selectors (a script click works on
    /// elements a WebDriver click calls not interactable).
    static let clickFirst = """
        var list = arguments[0];
        for (var i = 0; i < list.length; i++) {
          var e = null;
          try { e = document.querySelector(list[i]); } catch (x) {}
          if (e) { e.click(); return list[i]; }
        }
        return null;
        """

    /// Builds the photo as a `File` inside the page and hands it to the file input, so the
    /// browser needs no access to our disk (another container, Selenium Grid).
    static let injectFile = """
        var input = document.querySelector(arguments[0]);
        if (!input) return 'no input';
        var binary = atob(arguments[1]);
        var bytes = new Uint8Array(binary.length);
        for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        var file = new File([bytes], arguments[2], { type: arguments[3], lastModified: Date.now() });
        var transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
        return 'ok';
        """
}
