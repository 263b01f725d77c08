public enum TallyReportPlaceholder {}
