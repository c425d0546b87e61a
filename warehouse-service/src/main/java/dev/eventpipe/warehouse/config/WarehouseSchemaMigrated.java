package dev.eventpipe.warehouse.config;

/** Marker bean: the warehouse service's own migrations ({@code classpath:db/warehouse}) have run. */
public record WarehouseSchemaMigrated() {}
