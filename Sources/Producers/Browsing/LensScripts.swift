/// The Lens-only page script (the upload); the engine's scripts are in `PageScripts`.
enum LensScripts {
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
