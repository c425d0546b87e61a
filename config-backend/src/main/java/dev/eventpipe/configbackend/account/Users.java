package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates people and checks their passwords. E-mail addresses are compared in lower case. */
@Service
public class Users {
    static final int MIN_PASSWORD_LENGTH = 12;

    private static final String INSERT_IF_ABSENT = """
            INSERT INTO cp_user (id, email, name, password_hash, instance_admin, created_at, must_change_password)
            VALUES (:id, :email, :name, :hash, false, now(), false)
            ON CONFLICT (email) DO NOTHING
            RETURNING id
            """;

    private final UserRepository repository;
    private final JdbcAggregateTemplate template;
    private final PasswordEncoder encoder;
    private final JdbcClient jdbc;
    private final String unknownUserHash;

    Users(UserRepository repository, JdbcAggregateTemplate template, PasswordEncoder encoder, JdbcClient jdbc) {
        this.repository = repository;
        this.template = template;
        this.encoder = encoder;
        this.jdbc = jdbc;
        this.unknownUserHash = encoder.encode(Identifiers.newSecret(""));
    }

    /** A password checked for length and hashed, ready to be given to a new account. */
    record NewPassword(String hash) {}

    /** An account; {@code mustChangePassword} when the password was chosen by someone else than its owner. */
    public User create(String email, String name, String password, boolean instanceAdmin, boolean mustChangePassword) {
        return create(email, name, newPassword(password), instanceAdmin, mustChangePassword);
    }

    private User create(
            String email, String name, NewPassword password, boolean instanceAdmin, boolean mustChangePassword) {
        return template.insert(new User(
                Identifiers.newId(),
                normalize(email),
                name,
                password.hash(),
                instanceAdmin,
                Instant.now(),
                mustChangePassword));
    }

    /**
     * A new account with a password its owner chose, unless the address already has one (then nothing changes). One
     * statement either way, which a concurrent creation of the same address cannot turn into an error.
     *
     * @return the new account's id, or empty when the address already had an account
     */
    Optional<String> createIfAbsent(String email, String name, NewPassword password) {
        return jdbc.sql(INSERT_IF_ABSENT)
                .param("id", Identifiers.newId())
                .param("email", normalize(email))
                .param("name", name)
                .param("hash", password.hash())
                .query(String.class)
                .optional();
    }

    /**
     * Refuses a password that is too short, else hashes it. Hashing before one knows whether the account will be
     * made keeps a caller from timing that decision (the hash costs far more than anything else on the way).
     */
    NewPassword newPassword(String password) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new ApiException.Invalid("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        return new NewPassword(encoder.encode(password));
    }

    public Optional<User> byEmail(String email) {
        return repository.findByEmail(normalize(email));
    }

    public Optional<User> byId(String id) {
        return repository.findById(id);
    }

    public boolean anyExists() {
        return repository.count() > 0;
    }

    /** The user whose password matches; an unknown e-mail costs a hash too, so timing tells nothing. */
    Optional<User> authenticate(String email, String password) {
        Optional<User> user = byEmail(email);
        if (user.isEmpty()) {
            encoder.matches(password, unknownUserHash);
            return Optional.empty();
        }
        return encoder.matches(password, user.get().passwordHash()) ? user : Optional.empty();
    }

    void changePassword(User user, String newPassword) {
        if (newPassword.length() < MIN_PASSWORD_LENGTH) {
            throw new ApiException.Invalid("newPassword", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        repository.save(new User(
                user.id(),
                user.email(),
                user.name(),
                encoder.encode(newPassword),
                user.instanceAdmin(),
                user.createdAt(),
                false));
    }

    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
