SELECT count(*) AS groups, sum(n) AS n, sum(total) AS total
FROM (SELECT (student_id - student_id % 3) AS k, count(*) AS n, sum(amount) AS total FROM aid GROUP BY k) AS g;
