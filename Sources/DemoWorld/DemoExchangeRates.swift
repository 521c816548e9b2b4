extension DemoWorld {
    /// The rates the demo runs with (value of one unit in US dollars), so offers listed in
    /// dollars and euros can be compared. Real deployments give their own with
    /// `--currency-rates`; without rates only offers in the majority currency count.
    public static let exchangeRates: [String: Double] = ["USD": 1, "EUR": 1.08, "GBP": 1.27, "JPY": 0.0067]
}
