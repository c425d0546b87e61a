package dev.eventpipe.configbackend.access;

import org.jspecify.annotations.Nullable;

/** Who is calling: a logged-in person, an automation token or the data plane. */
public sealed interface Caller {
    /** How the audit log names the caller. */
    String name();

    /**
     * A person; their roles come from workspace memberships. {@code mustChangePassword}: someone else chose their
     * password, and until they change it they may only change it (see {@code TokenAuthenticationFilter}).
     */
    record Person(String userId, String email, boolean instanceAdmin, boolean mustChangePassword) implements Caller {
        @Override
        public String name() {
            return email;
        }
    }

    /** An API token: acts in one workspace with one role. */
    record Automation(String tokenId, String tokenName, String workspaceId, Role role) implements Caller {
        @Override
        public String name() {
            return "token:" + tokenName;
        }
    }

    /**
     * The data plane: by a workspace token it reads that workspace's config only; by the instance-wide secret
     * ({@link DataPlaneProperties}) it reads every workspace's, and {@code workspaceId} is null.
     */
    record DataPlane(@Nullable String workspaceId) implements Caller {
        @Override
        public String name() {
            return "data-plane";
        }

        /** True for the instance-wide secret: every workspace. */
        public boolean everyWorkspace() {
            return workspaceId == null;
        }
    }
}
