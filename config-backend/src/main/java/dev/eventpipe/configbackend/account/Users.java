package dev.eventpipe.configbackend.account;

import dev.eventpipe.configbackend.Identifiers;
import dev.eventpipe.configbackend.web.ApiException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates people and checks their passwords. E-mail addresses are compared in lower case. */
@Service
public class Users {
    static final int MIN_PASSWORD_LENGTH = 12;

    private final UserRepository repository;
    private final JdbcAggregateTemplate template;
    private final PasswordEncoder encoder;
    private final String unknownUserHash;

    Users(UserRepository repository, JdbcAggregateTemplate template, PasswordEncoder encoder) {
        this.repository = repository;
        this.template = template;
        this.encoder = encoder;
        this.unknownUserHash = encoder.encode(Identifiers.newSecret(""));
    }

    /** An account; {@code mustChangePassword} when the password was chosen by someone else than its owner. */
    public User create(String email, String name, String password, boolean instanceAdmin, boolean mustChangePassword) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new ApiException.Invalid("password", "must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        return template.insert(new User(
                Identifiers.newId(),
                normalize(email),
                name,
                encoder.encode(password),
                instanceAdmin,
                Instant.now(),
                mustChangePassword));
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
