@echo off
rem The `vault-token-desk` command of the installed app (Windows), shipped in resources\bin. It runs the
rem app's own executable with --cli: the command runs in the app's runtime, the RunAsNode fuse stays off.
rem With no arguments it opens the app. README, "The command line", says how to put it on the PATH.
setlocal
set "APP=%~dp0..\..\Vault Token Desk.exe"
if "%~1"=="" (
  start "" "%APP%"
  exit /b 0
)
rem A batch file waits for the executable, so scripts get its exit code.
"%APP%" --cli %*
exit /b %ERRORLEVEL%
