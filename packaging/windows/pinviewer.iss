; Inno Setup script for PinViewer's Windows installer (Inno Setup 6.2 or later).
; Build the app first (python packaging\build.py), then, from the repository's top folder:
;
;   for /f "delims=" %d in ('python packaging\appinfo.py inno') do iscc %d packaging\windows\pinviewer.iss
;
; (PowerShell:  iscc ((python packaging\appinfo.py inno) -split " ") packaging\windows\pinviewer.iss)
; The app id, name, version and publisher come from the package through packaging\appinfo.py; this script has
; none of its own. The installer goes to dist\PinViewer-<version>-setup.exe. It installs per user by default
; (no administrator prompt), adds a Start-menu entry, optionally a desktop icon, and "Open with > PinViewer"
; for .csv files without taking over the default program for them.

#ifndef AppVersion
  #error Pass the app's details: iscc $(python packaging\appinfo.py inno) packaging\windows\pinviewer.iss
#endif

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
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
; "Open with > PinViewer" on .csv files; the user's default program for CSV stays as it was.
Root: HKA; Subkey: "Software\Classes\.csv\OpenWithProgids"; ValueType: string; ValueName: "{#AppName}.csv"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#AppName}.csv"; ValueType: string; ValueName: ""; ValueData: "CSV export"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#AppName}.csv\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"
Root: HKA; Subkey: "Software\Classes\{#AppName}.csv\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".csv"; ValueData: ""; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
