// Entry point only: everything else lives in other files (a C callback or Dispatch handler defined
// here would inherit the main actor and trap on another thread).
import ArgumentParser

NablaCommand.main()
