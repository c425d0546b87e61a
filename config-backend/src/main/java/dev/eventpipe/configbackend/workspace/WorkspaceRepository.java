package dev.eventpipe.configbackend.workspace;

import java.util.List;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

public interface WorkspaceRepository extends ListCrudRepository<Workspace, String> {
    @Query("""
            SELECT w.* FROM cp_workspace w JOIN cp_membership m ON m.workspace_id = w.id
            WHERE m.user_id = :userId ORDER BY w.name
            """)
    List<Workspace> findForUser(@Param("userId") String userId);
}
