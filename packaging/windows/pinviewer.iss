; Inno Setup script for PinViewer's Windows installer. Needs Inno Setup 6.3 or later (x64compatible, below, came
; with 6.3; the check just after this comment stops an older compiler with a sentence instead of a puzzle).
; Build the app first (python packaging\build.py), then, from the repository's top folder:
;
;   for /f "delims=" %d in ('python packaging\appinfo.py inno') do iscc %d packaging\windows\pinviewer.iss
;
; (PowerShell:  iscc ((python packaging\appinfo.py inno) -split " ") packaging\windows\pinviewer.iss)
; The app id, name, version and publisher come from the package through packaging\appinfo.py; this script has
; none of its own. The installer goes to dist\PinViewer-<version>-setup.exe. It installs per user by default
; (no administrator prompt), adds a Start-menu entry, optionally a desktop icon, and "Open with > PinViewer"
; for .csv files without taking over the default program for them.

#if VER < EncodeVer(6,3,0)
  #error Inno Setup 6.3 or later is needed to compile this script: https://jrsoftware.org/isdl.php
#endif
#ifndef AppFileVersion
  #error Pass the app's details: iscc $(python packaging\appinfo.py inno) packaging\windows\pinviewer.iss
#endif

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
; Windows wants four numbers here (0.2.0rc1 -> 0.2.0.30001: appinfo.AppInfo.version_tuple); people see the text.
VersionInfoVersion={#AppFileVersion}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
; Qt 6.11 runs on Windows 10 1809 (build 17763) or later, 64-bit: older Windows gets Setup's own refusal.
MinVersion=10.0.17763
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\icons\pinviewer.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
ChangesAssociations=yes
CloseApplications=yes
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\{#AppName}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; "Open with > PinViewer" on .csv files; the user's default program for CSV stays as it was. Every key this
; creates goes again on uninstall: its own keys with uninsdeletekey (which takes their subkeys along), and in the
; shared .csv key only the value it added (tests/test_packaging_files.py checks each line).
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithProgids"; ValueType: string; ValueName: "{#AppName}.csv"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#AppName}.csv"; ValueType: string; ValueName: ""; ValueData: "CSV export"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#AppName}.csv\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#AppName}.csv\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// Uninstall: the Pinterest token sits in Windows Credential Manager, which only the program can reach, so offer
// to remove it (pinviewer disconnect) while the program is still there; afterwards, say what was kept and where.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  if (CurUninstallStep = usUninstall) and not UninstallSilent then
  begin
    if MsgBox('Also remove your Pinterest token from Windows Credential Manager (pinviewer disconnect)?' + #13#10 +
              'Your history stays either way.', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
      Exec(ExpandConstant('{app}\{#AppName}-cli.exe'), 'disconnect', '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
  end;
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('{#AppName} is removed. Your history, settings, cache and logs were kept in' + #13#10 +
           ExpandConstant('{localappdata}\{#AppName}') + #13#10 +
           'Delete that folder to remove them too.', mbInformation, MB_OK);
end;
