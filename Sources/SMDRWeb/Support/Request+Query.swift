import Hummingbird

extension Request {
    /// The query string's fields, decoded as a URL-encoded form (`+` is a space).
    var queryFields: FormFields { FormFields.urlEncoded(Array((self.uri.query ?? "").utf8)) }
}
