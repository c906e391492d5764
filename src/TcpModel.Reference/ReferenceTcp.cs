namespace TcpModel.Reference;
