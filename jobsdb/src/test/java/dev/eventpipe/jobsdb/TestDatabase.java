package dev.eventpipe.jobsdb;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventpipe.testkit.TestPostgres;

/** A pooled DataSource on a fresh database of the test PostgreSQL. */
final class TestDatabase {
    private TestDatabase() {}

    static HikariDataSource create() {
        TestPostgres.Database db = TestPostgres.newDatabase();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setMaximumPoolSize(8);
        return new HikariDataSource(config);
    }
}
