package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.access.Role;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A person's role in one workspace. */
@Table("cp_membership")
record Membership(@Id String id, String workspaceId, String userId, Role role) {}
