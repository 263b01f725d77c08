public enum TallyDatagenPlaceholder {}
