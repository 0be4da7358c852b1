// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// Test-only wrapper: rtl/m890_crc32c at the widths the ICN uses (flit bodies for DATA_W=256
// and 64) plus the 72-bit "123456789" check-value width.
module m890_tb_crc_wrap (
  input  wire [71:0]  d72,
  output wire [31:0]  c72,
  input  wire [95:0]  d96,
  output wire [31:0]  c96,
  input  wire [287:0] d288,
  output wire [31:0]  c288
);
  m890_crc32c #(.W(72))  u72  (.data(d72),  .crc(c72));
  m890_crc32c #(.W(96))  u96  (.data(d96),  .crc(c96));
  m890_crc32c #(.W(288)) u288 (.data(d288), .crc(c288));
endmodule
`default_nettype wire
