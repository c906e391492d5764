@echo off
rem tcpmodel on Windows from a source checkout: builds src\TcpModel.Cli (Release) when its DLL is
rem missing, then runs it. After pulling new sources run: dotnet build src\TcpModel.Cli -c Release
setlocal
set "here=%~dp0"
set "dll=%here%src\TcpModel.Cli\bin\Release\net10.0\TcpModel.Cli.dll"
if not exist "%dll%" (
  dotnet build "%here%src\TcpModel.Cli" -c Release --nologo --verbosity quiet 1>&2 || exit /b 1
)
dotnet "%dll%" %*
