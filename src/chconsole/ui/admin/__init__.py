"""Administration: the estate (SMI import), the CPL, users and roles, suppliers and CSPs; and
creating or opening a database when the console starts without one."""
