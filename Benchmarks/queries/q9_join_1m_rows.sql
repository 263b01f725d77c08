SELECT count(*) AS n, sum(s.m) AS total
FROM aid AS a
JOIN (SELECT (student_id - student_id % 3) AS k, max(amount) AS m FROM aid GROUP BY k) AS s ON a.student_id - a.student_id % 3 = s.k;
