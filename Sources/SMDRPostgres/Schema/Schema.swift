/// The database schema this build of smdr works with: the files of `schema/`, embedded at build time.
public enum Schema {
    /// The schema version the schema records in `smdr.schema_version`.
    public static let version = 5
}
