package dev.eventpipe.configbackend.account;

import java.util.Optional;
import org.springframework.data.repository.ListCrudRepository;

interface UserRepository extends ListCrudRepository<User, String> {
    Optional<User> findByEmail(String email);
}
