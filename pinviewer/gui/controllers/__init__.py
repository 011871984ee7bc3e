"""What the main window does, one controller per concern; the window itself only lays out and forwards.

* ``data.DataController``: which history, profile and period are shown, the figures for them (cached per
  period and worked out ahead while the user reads) and every job that replaces them (``run_load``). A later
  choice of *series* within a profile (a Pinterest export with filters) belongs here, next to the period.
* ``imports.ImportsController``: File > Import, drops, files from the command line, the import wizard, the
  import history and Undo in the notice (which belongs to the profile the import went into).
* ``profiles.ProfilesController``: switch, create, rename and delete profiles; the sample blog and back.
* ``paper.PaperController``: File > Print (with its preview) and Save summary as PDF.
* ``insights.InsightsController``: the Insights page's figures and the monthly goals.
* ``pinviewer.gui.sync_ui.SyncController``: File > Connect Pinterest and Sync with Pinterest.

Each controller is a QObject child of the window with a public interface; none calls another's (or the
window's) private methods. Work that needs no Qt runs on the worker through ``tasks.run`` and lives in
``pinviewer.core.session`` and ``pinviewer.core.wizard_jobs``.
"""
