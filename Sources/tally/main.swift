import TallyEngine
import TallyShell

// Before any other thread starts: freed memory stays in the process for the next step to reuse.
MemoryReuse.enable()
TallyCommand.main()
