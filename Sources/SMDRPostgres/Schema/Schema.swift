/// The database schema this build of smdr works with: `schema.sql`, embedded at build time.
public enum Schema {
    /// The schema version `schema.sql` records in `smdr.schema_version`.
    public static let version = 2
}
