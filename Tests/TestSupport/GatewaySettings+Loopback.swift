import Gateway

extension GatewaySettings {
    /// One loop on a free loopback port, the data in `directory/data`, the web page from `directory`.
    package static func loopback(directory: String) -> GatewaySettings {
        var settings = GatewaySettings()
        settings.http.host = "127.0.0.1"
        settings.http.port = 0
        settings.http.loopCount = 1
        settings.dataDirectory = directory + "/data"
        settings.webDirectory = directory
        return settings
    }
}
