import Hummingbird

/// `/assets/app.css` and `/assets/app.js`, from the binary; `/favicon.ico`: no icon (204).
enum AssetRoutes {
    static func register(on router: Router<WebRequestContext>) {
        router.get("/assets/app.css") { _, _ in Self.asset(WebAssets.styleSheet, type: "text/css; charset=utf-8") }
        router.get("/assets/app.js") { _, _ in Self.asset(WebAssets.script, type: "text/javascript; charset=utf-8") }
        // Browsers ask for it on every site; without an answer each page logs a 404 to the console.
        router.get("/favicon.ico") { _, _ in
            var headers = WebPage.securityHeaders(contentSecurityPolicy: "default-src 'none'")
            headers[.cacheControl] = "private, max-age=86400"
            return Response(status: .noContent, headers: headers)
        }
    }

    private static func asset(_ text: String, type: String) -> Response {
        var headers = WebPage.securityHeaders(contentSecurityPolicy: "default-src 'none'")
        headers[.contentType] = type
        headers[.cacheControl] = "private, max-age=300"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
