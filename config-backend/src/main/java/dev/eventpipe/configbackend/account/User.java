package dev.eventpipe.configbackend.account;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A person who logs in; {@code instanceAdmin} may create workspaces and accounts. The password is kept as a bcrypt
 * hash; {@code mustChangePassword} is set when someone else chose it, and until it is changed the person's sessions
 * may only change it.
 */
@Table("cp_user")
public record User(
        @Id String id,
        String email,
        String name,
        String passwordHash,
        boolean instanceAdmin,
        Instant createdAt,
        boolean mustChangePassword) {}
