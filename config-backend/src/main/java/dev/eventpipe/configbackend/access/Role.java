package dev.eventpipe.configbackend.access;

/** A role in one workspace. Each role allows everything the roles below it allow. */
public enum Role {
    /** reads everything in the workspace */
    VIEWER,
    /** also changes sources, destinations, connections, transformations; imports */
    EDITOR,
    /** also manages members, API tokens and workspace tokens, and deletes the workspace */
    ADMIN;

    public boolean allows(Role needed) {
        return compareTo(needed) >= 0;
    }
}
