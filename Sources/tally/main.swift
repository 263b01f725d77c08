import TallyShell

TallyCommand.main()
