extension WebScript {
    /// Asks before a form with `data-confirm` (remove, deactivate) is sent; without script the
    /// button sends it at once (the list shows what was removed, and an import puts it back).
    static let register = """
        document.addEventListener("submit", function (event) {
          var form = event.target;
          var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
          if (question && !window.confirm(question)) { event.preventDefault(); }
        });
        """
}
