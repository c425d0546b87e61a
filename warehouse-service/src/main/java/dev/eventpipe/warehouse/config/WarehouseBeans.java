package dev.eventpipe.warehouse.config;

import dev.eventpipe.jobsdb.JobsDbs;
import dev.eventpipe.jobsdb.Queue;
import dev.eventpipe.model.config.WorkspaceConfigClient;
import dev.eventpipe.model.egress.EgressPolicy;
import dev.eventpipe.warehouse.archive.ArchiveFiles;
import dev.eventpipe.warehouse.archive.ArchiveLoop;
import dev.eventpipe.warehouse.archive.ArchiveReplayer;
import dev.eventpipe.warehouse.archive.ArchiveReplays;
import dev.eventpipe.warehouse.archive.ArchiveRetention;
import dev.eventpipe.warehouse.lease.LeaderLease;
import dev.eventpipe.warehouse.load.UploadLoader;
import dev.eventpipe.warehouse.staging.StagingFileRecords;
import dev.eventpipe.warehouse.staging.StagingLoop;
import dev.eventpipe.warehouse.storage.ObjectStore;
import dev.eventpipe.warehouse.upload.UploadRunner;
import dev.eventpipe.warehouse.upload.UploadScheduler;
import dev.eventpipe.warehouse.upload.Uploads;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The warehouse service's parts, wired once: its schema, storage, lease, staging and uploads. */
@Configuration(proxyBeanMethods = false)
class WarehouseBeans {

    @Bean
    @ConditionalOnMissingBean
    InstantSource warehouseClock() {
        return InstantSource.system();
    }

    /** The service's tables, migrated after the queue schema, with their own history table. */
    @Bean
    WarehouseSchemaMigrated warehouseSchema(DataSource dataSource, JobsDbs migratedQueues) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/warehouse")
                .table("warehouse_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return new WarehouseSchemaMigrated();
    }

    @Bean
    TransactionTemplate warehouseTransactions(DataSource dataSource) {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Bean
    @Qualifier("staging")
    ObjectStore stagingStore(WarehouseProperties properties) {
        return properties.staging().storage().open();
    }

    @Bean(destroyMethod = "close")
    LeaderLease warehouseLease(DataSource dataSource, WarehouseSchemaMigrated schema, WarehouseProperties p)
            throws Exception {
        String holder = p.instanceId().isBlank()
                ? InetAddress.getLocalHost().getHostName() + "-"
                        + UUID.randomUUID().toString().substring(0, 8)
                : p.instanceId();
        return new LeaderLease(dataSource, "warehouse", holder, p.leaseTtl());
    }

    @Bean
    StagingLoop stagingLoop(
            JobsDbs jobsDbs,
            WorkspaceConfigClient config,
            @Qualifier("staging") ObjectStore store,
            DataSource dataSource,
            LeaderLease lease,
            TransactionTemplate tx,
            WarehouseProperties p,
            InstantSource clock) {
        return new StagingLoop(
                jobsDbs.queue(Queue.BATCH_RT),
                config,
                store,
                new StagingFileRecords(dataSource),
                lease,
                tx,
                p.staging(),
                Path.of(p.workDir()),
                clock);
    }

    @Bean
    Uploads uploads(DataSource dataSource, WarehouseSchemaMigrated schema) {
        return new Uploads(dataSource);
    }

    @Bean
    UploadScheduler uploadScheduler(
            Uploads uploads,
            WorkspaceConfigClient config,
            LeaderLease lease,
            WarehouseProperties p,
            InstantSource clock) {
        return new UploadScheduler(uploads, config, lease, p.uploads(), clock);
    }

    @Bean(destroyMethod = "close")
    UploadRunner uploadRunner(
            Uploads uploads,
            @Qualifier("staging") ObjectStore store,
            WorkspaceConfigClient config,
            LeaderLease lease,
            WarehouseProperties p,
            InstantSource clock,
            EgressPolicy egress) {
        UploadLoader loader = new UploadLoader(new UploadLoader.Settings(
                p.uploads().connectTimeout(),
                p.uploads().socketTimeout(),
                p.uploads().columnLimit(),
                Path.of(p.workDir()),
                egress));
        return new UploadRunner(uploads, loader, store, config, lease, p.uploads(), clock);
    }

    @Bean
    @Qualifier("archive")
    ObjectStore archiveStore(WarehouseProperties properties) {
        return properties.archive().storage().open();
    }

    @Bean
    ArchiveFiles archiveFiles(DataSource dataSource, WarehouseSchemaMigrated schema) {
        return new ArchiveFiles(dataSource);
    }

    @Bean
    ArchiveReplays archiveReplays(DataSource dataSource, WarehouseSchemaMigrated schema) {
        return new ArchiveReplays(dataSource);
    }

    @Bean
    ArchiveLoop archiveLoop(
            JobsDbs jobsDbs,
            @Qualifier("archive") ObjectStore store,
            ArchiveFiles files,
            LeaderLease lease,
            TransactionTemplate tx,
            WarehouseProperties p,
            InstantSource clock) {
        return new ArchiveLoop(
                jobsDbs.queue(Queue.ARC), store, files, lease, tx, p.archive(), Path.of(p.workDir()), clock);
    }

    @Bean
    ArchiveRetention archiveRetention(
            ArchiveFiles files,
            @Qualifier("archive") ObjectStore store,
            LeaderLease lease,
            WarehouseProperties p,
            InstantSource clock) {
        return new ArchiveRetention(files, store, lease, p.archive().retention(), clock);
    }

    @Bean
    ArchiveReplayer archiveReplayer(
            ArchiveReplays replays,
            @Qualifier("archive") ObjectStore store,
            JobsDbs jobsDbs,
            WorkspaceConfigClient config,
            LeaderLease lease,
            TransactionTemplate tx) {
        return new ArchiveReplayer(replays, store, jobsDbs.queue(Queue.GW), config, lease, tx);
    }
}
