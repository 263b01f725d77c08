SELECT count(*) AS n, sum(r7) AS s7, sum(prev) AS sprev
FROM (SELECT sum(amount) OVER (PARTITION BY (student_id - student_id % 26) ORDER BY amount ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS r7,
             lag(amount, 1) OVER (PARTITION BY (student_id - student_id % 26) ORDER BY amount) AS prev
      FROM aid) AS w;
