/// The app's one style sheet and one script, served from the binary (`/assets/app.css`,
/// `/assets/app.js`): nothing is loaded from elsewhere, so the app works offline on a LAN.
/// Each area keeps its rules in an extension of ``WebStyle`` or ``WebScript`` in this folder
/// (`WebStyle+Queue.swift`, …); they are joined here. The script only enhances: every page
/// works without it.
enum WebAssets {
    static let styleSheet: String = [WebStyle.base, WebStyle.queue, WebStyle.register, WebStyle.statements, WebStyle.users]
        .joined(separator: "\n")
    static let script: String = [WebScript.base, WebScript.queue, WebScript.register].joined(separator: "\n")
}
