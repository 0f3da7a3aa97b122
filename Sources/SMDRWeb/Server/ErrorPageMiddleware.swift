import Hummingbird
import Logging
import SMDRReports

/// Turns an error into a page: an `HTTPError`'s status and message (escaped), anything else a
/// 500 whose detail goes to the log only, never to the browser.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebRequestContext

    @concurrent
    func handle(_ request: Request, context: Context, next: @concurrent (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            var extra = HTTPFields()
            if let retry = error.headers[.retryAfter] { extra[.retryAfter] = retry }
            let message = error.body ?? error.status.reasonPhrase
            let body: HTML = """
                <h1>\(error.status.code) \(error.status.reasonPhrase)</h1>
                <p class="error">\(message)</p>
                <p><a href="/">Back to smdr</a></p>

                """
            let page = WebPage.render(title: error.status.reasonPhrase, section: nil, session: nil, status: error.status, body: body)
            var response = page
            response.headers.append(contentsOf: extra)
            return response
        } catch {
            context.logger.error("web request failed", metadata: ["smdr.web.path": "\(request.uri.path)", "error": "\(error)"])
            let body: HTML = """
                <h1>500 Internal Server Error</h1>
                <p class="error">Something went wrong on the server; it has been logged. Nothing was changed unless the page said so.</p>
                <p><a href="/">Back to smdr</a></p>

                """
            return WebPage.render(title: "Error", section: nil, session: nil, status: .internalServerError, body: body)
        }
    }
}
