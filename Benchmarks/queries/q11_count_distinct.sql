SELECT count(DISTINCT student_id) AS students FROM aid;
