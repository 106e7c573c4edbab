// The plugins' formatting (Grafana's scaffold) for drift-server, bench/ and provisioning/ too.
module.exports = require('./datasource-plugin/.config/.prettierrc.js');
