extension StringProtocol {
    /// Without leading and trailing white space (spaces, tabs, line ends): a typed filter or
    /// code, a header parameter. The one trimming rule of the app.
    func trimmed() -> String {
        let text = String(self)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
