package dev.eventpipe.router.config;

/** Marker bean: the router's own migrations ({@code classpath:db/router}) have run. */
public record RouterSchema() {}
