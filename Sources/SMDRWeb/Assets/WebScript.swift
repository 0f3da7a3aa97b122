/// The app's script, one `static let` per area (its extension in this folder); every page works
/// without it.
enum WebScript {
    static let base = """
        "use strict";
        """
}
