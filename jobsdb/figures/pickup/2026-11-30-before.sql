\echo ===== before: pickup of dst-2 (healthy), floor 60000
DEALLOCATE ALL;
PREPARE q AS SELECT b.*, p.event_payload FROM (
	    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
	    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
	       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
	       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
	FROM rt_jobs j
	LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
	WHERE j.job_id > $1 AND st.seen IS NULL
	   AND j.parameters->>'destination_id' = $2 AND j.partition_id IN ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, $63, $64, $65, $66)
	ORDER BY j.job_id
	LIMIT $67) UNION ALL (WITH backoff AS MATERIALIZED (
	    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
	           min(j.job_id) AS job_id
	    FROM rt_jobs j
	JOIN LATERAL (
	    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
	           s.first_attempted_at, s.blocking_job_id
	    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
	    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
	      AND ls.job_state = 'failed' AND ls.retry_time > $68
	       AND j.parameters->>'destination_id' = $69 AND j.partition_id IN ($70, $71, $72, $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84, $85, $86, $87, $88, $89, $90, $91, $92, $93, $94, $95, $96, $97, $98, $99, $100, $101, $102, $103, $104, $105, $106, $107, $108, $109, $110, $111, $112, $113, $114, $115, $116, $117, $118, $119, $120, $121, $122, $123, $124, $125, $126, $127, $128, $129, $130, $131, $132, $133)
	    GROUP BY 1, 2, 3)
	SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
	       ls.error_response::text AS error_response,
	       ls.first_attempted_at, ls.blocking_job_id
	FROM rt_jobs j
	JOIN LATERAL (
	    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
	           s.first_attempted_at, s.blocking_job_id
	    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
	WHERE j.job_id > $134
	  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
	  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= $135))
	  AND NOT EXISTS (
	      SELECT 1 FROM backoff b
	      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
	        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
	   AND j.parameters->>'destination_id' = $136 AND j.partition_id IN ($137, $138, $139, $140, $141, $142, $143, $144, $145, $146, $147, $148, $149, $150, $151, $152, $153, $154, $155, $156, $157, $158, $159, $160, $161, $162, $163, $164, $165, $166, $167, $168, $169, $170, $171, $172, $173, $174, $175, $176, $177, $178, $179, $180, $181, $182, $183, $184, $185, $186, $187, $188, $189, $190, $191, $192, $193, $194, $195, $196, $197, $198, $199, $200)
	ORDER BY j.job_id
	LIMIT $201)) u ORDER BY job_id LIMIT $202) picked
	    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
	JOIN rt_jobs p ON p.job_id = b.job_id
	WHERE b.running_bytes <= $203 OR b.rn = 1
	ORDER BY b.job_id ASC;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q('60000', 'dst-2', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', '1000', now(), 'dst-2', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', '58880', now(), 'dst-2', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', '1000', '1000', '9223372036854775807');
\echo ===== before: pickup of dst-1 (failing), floor 59999
DEALLOCATE ALL;
PREPARE q AS SELECT b.*, p.event_payload FROM (
	    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
	    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
	       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
	       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
	FROM rt_jobs j
	LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
	WHERE j.job_id > $1 AND st.seen IS NULL
	   AND j.parameters->>'destination_id' = $2 AND j.partition_id IN ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, $63, $64, $65, $66)
	ORDER BY j.job_id
	LIMIT $67) UNION ALL (WITH backoff AS MATERIALIZED (
	    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
	           min(j.job_id) AS job_id
	    FROM rt_jobs j
	JOIN LATERAL (
	    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
	           s.first_attempted_at, s.blocking_job_id
	    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
	    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
	      AND ls.job_state = 'failed' AND ls.retry_time > $68
	       AND j.parameters->>'destination_id' = $69 AND j.partition_id IN ($70, $71, $72, $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84, $85, $86, $87, $88, $89, $90, $91, $92, $93, $94, $95, $96, $97, $98, $99, $100, $101, $102, $103, $104, $105, $106, $107, $108, $109, $110, $111, $112, $113, $114, $115, $116, $117, $118, $119, $120, $121, $122, $123, $124, $125, $126, $127, $128, $129, $130, $131, $132, $133)
	    GROUP BY 1, 2, 3)
	SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
	       ls.error_response::text AS error_response,
	       ls.first_attempted_at, ls.blocking_job_id
	FROM rt_jobs j
	JOIN LATERAL (
	    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
	           s.first_attempted_at, s.blocking_job_id
	    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
	WHERE j.job_id > $134
	  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
	  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= $135))
	  AND NOT EXISTS (
	      SELECT 1 FROM backoff b
	      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
	        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
	   AND j.parameters->>'destination_id' = $136 AND j.partition_id IN ($137, $138, $139, $140, $141, $142, $143, $144, $145, $146, $147, $148, $149, $150, $151, $152, $153, $154, $155, $156, $157, $158, $159, $160, $161, $162, $163, $164, $165, $166, $167, $168, $169, $170, $171, $172, $173, $174, $175, $176, $177, $178, $179, $180, $181, $182, $183, $184, $185, $186, $187, $188, $189, $190, $191, $192, $193, $194, $195, $196, $197, $198, $199, $200)
	ORDER BY j.job_id
	LIMIT $201)) u ORDER BY job_id LIMIT $202) picked
	    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
	JOIN rt_jobs p ON p.job_id = b.job_id
	WHERE b.running_bytes <= $203 OR b.rn = 1
	ORDER BY b.job_id ASC;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q('59999', 'dst-1', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', '1000', now(), 'dst-1', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', '58880', now(), 'dst-1', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', '1000', '1000', '9223372036854775807');
\echo ===== before: pickup of the others (destinations not in the config), floor 600000
DEALLOCATE ALL;
PREPARE q AS SELECT b.*, p.event_payload FROM (
	    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
	    FROM (SELECT * FROM ((SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
	       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
	       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
	FROM rt_jobs j
	LEFT JOIN LATERAL (SELECT 1 AS seen FROM rt_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
	WHERE j.job_id > $1 AND st.seen IS NULL
	   AND j.partition_id IN ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, $63, $64, $65) AND coalesce(j.parameters->>'destination_id', '') NOT IN ($66, $67)
	ORDER BY j.job_id
	LIMIT $68) UNION ALL (WITH backoff AS MATERIALIZED (
	    SELECT j.workspace_id, j.user_id, coalesce(j.parameters->>'destination_id', '') AS destination_id,
	           min(j.job_id) AS job_id
	    FROM rt_jobs j
	JOIN LATERAL (
	    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
	           s.first_attempted_at, s.blocking_job_id
	    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
	    WHERE j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state = 'failed')
	      AND ls.job_state = 'failed' AND ls.retry_time > $69
	       AND j.partition_id IN ($70, $71, $72, $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83, $84, $85, $86, $87, $88, $89, $90, $91, $92, $93, $94, $95, $96, $97, $98, $99, $100, $101, $102, $103, $104, $105, $106, $107, $108, $109, $110, $111, $112, $113, $114, $115, $116, $117, $118, $119, $120, $121, $122, $123, $124, $125, $126, $127, $128, $129, $130, $131, $132, $133) AND coalesce(j.parameters->>'destination_id', '') NOT IN ($134, $135)
	    GROUP BY 1, 2, 3)
	SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, ls.job_state, ls.attempt, ls.exec_time, ls.retry_time, ls.error_code,
	       ls.error_response::text AS error_response,
	       ls.first_attempted_at, ls.blocking_job_id
	FROM rt_jobs j
	JOIN LATERAL (
	    SELECT s.id, s.job_state, s.attempt, s.exec_time, s.retry_time, s.error_code, s.error_response,
	           s.first_attempted_at, s.blocking_job_id
	    FROM rt_job_status s WHERE s.job_id = j.job_id ORDER BY s.id DESC LIMIT 1) ls ON true
	WHERE j.job_id > $136
	  AND j.job_id IN (SELECT s.job_id FROM rt_job_status s WHERE s.job_state IN ('failed', 'waiting'))
	  AND (ls.job_state = 'waiting' OR (ls.job_state = 'failed' AND ls.retry_time <= $137))
	  AND NOT EXISTS (
	      SELECT 1 FROM backoff b
	      WHERE b.workspace_id = j.workspace_id AND b.user_id = j.user_id
	        AND b.destination_id = coalesce(j.parameters->>'destination_id', '') AND b.job_id < j.job_id)
	   AND j.partition_id IN ($138, $139, $140, $141, $142, $143, $144, $145, $146, $147, $148, $149, $150, $151, $152, $153, $154, $155, $156, $157, $158, $159, $160, $161, $162, $163, $164, $165, $166, $167, $168, $169, $170, $171, $172, $173, $174, $175, $176, $177, $178, $179, $180, $181, $182, $183, $184, $185, $186, $187, $188, $189, $190, $191, $192, $193, $194, $195, $196, $197, $198, $199, $200, $201) AND coalesce(j.parameters->>'destination_id', '') NOT IN ($202, $203)
	ORDER BY j.job_id
	LIMIT $204)) u ORDER BY job_id LIMIT $205) picked
	    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
	JOIN rt_jobs p ON p.job_id = b.job_id
	WHERE b.running_bytes <= $206 OR b.rn = 1
	ORDER BY b.job_id ASC;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q('600000', '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', 'dst-2', 'dst-1', '1000', now(), '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', 'dst-2', 'dst-1', '0', now(), '36', '35', '34', '33', '32', '31', '30', '29', '28', '27', '26', '25', '24', '23', '22', '21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10', '9', '8', '7', '6', '5', '4', '3', '2', '1', '0', '63', '62', '61', '60', '59', '58', '57', '56', '55', '54', '53', '52', '51', '50', '49', '48', '47', '46', '45', '44', '43', '42', '41', '40', '39', '38', '37', 'dst-2', 'dst-1', '1000', '1000', '9223372036854775807');
\echo ===== before: processor gw read, cursor 300000
DEALLOCATE ALL;
PREPARE q AS SELECT b.*, p.event_payload FROM (
	    SELECT picked.*, sum(picked.payload_size) OVER w AS running_bytes, row_number() OVER w AS rn
	    FROM (SELECT j.job_id, j.uuid, j.user_id, j.workspace_id, j.partition_id, j.custom_val, j.parameters::text AS parameters,
	j.event_count, j.payload_size, j.created_at, NULL AS job_state, 0 AS attempt, NULL::timestamptz AS exec_time,
	       NULL::timestamptz AS retry_time, '' AS error_code, '{}' AS error_response,
	       NULL::timestamptz AS first_attempted_at, NULL::bigint AS blocking_job_id
	FROM gw_jobs j
	LEFT JOIN LATERAL (SELECT 1 AS seen FROM gw_job_status s WHERE s.job_id = j.job_id LIMIT 1) st ON true
	WHERE j.job_id > $1 AND st.seen IS NULL
	   AND j.custom_val = $2 AND j.partition_id IN ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59, $60, $61, $62, $63, $64, $65, $66)
	ORDER BY j.job_id
	LIMIT $67) picked
	    WINDOW w AS (ORDER BY picked.job_id ASC ROWS UNBOUNDED PRECEDING)) b
	JOIN gw_jobs p ON p.job_id = b.job_id
	WHERE b.running_bytes <= $68 OR b.rn = 1
	ORDER BY b.job_id ASC;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q('300000', 'GW', '63', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46', '47', '48', '49', '50', '51', '52', '53', '54', '55', '56', '57', '58', '59', '60', '61', '62', '2000', '20971520');
