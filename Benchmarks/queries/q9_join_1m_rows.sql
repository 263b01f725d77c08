SELECT count(*) AS n, sum(s.m) AS total
FROM aid AS a
JOIN (SELECT student_id % 1000000 AS k, max(amount) AS m FROM aid GROUP BY k) AS s ON a.student_id % 1000000 = s.k;
