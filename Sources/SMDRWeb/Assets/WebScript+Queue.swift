extension WebScript {
    /// The review queue's one enhancement: a "select all" checkbox (hidden without script) that
    /// ticks every call's checkbox for the bulk form.
    static let queue = """
        document.addEventListener("DOMContentLoaded", function () {
          document.querySelectorAll("input.select-all").forEach(function (all) {
            all.hidden = false;
            all.addEventListener("change", function () {
              document.querySelectorAll("input[type=checkbox][name=call]").forEach(function (box) { box.checked = all.checked; });
            });
          });
        });
        """
}
