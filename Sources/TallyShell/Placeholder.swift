public enum TallyShellPlaceholder {}
