package dev.eventpipe.configbackend.access;

/** Who is calling: a logged-in person, an automation token or the data plane. */
public sealed interface Caller {
    /** How the audit log names the caller. */
    String name();

    /** A person; their roles come from workspace memberships. */
    record Person(String userId, String email, boolean instanceAdmin) implements Caller {
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

    /** The data plane, authenticated by a workspace token; reads its workspace's config only. */
    record DataPlane(String workspaceId) implements Caller {
        @Override
        public String name() {
            return "data-plane";
        }
    }
}
